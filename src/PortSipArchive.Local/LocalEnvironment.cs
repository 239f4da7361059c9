using Microsoft.Extensions.Configuration;
using PortSip.Simulator;

namespace PortSipArchive.Local;

/// <summary>
/// What the local run starts besides the product: Azurite when <c>AzureWebJobsStorage</c> is not set, and the
/// simulated PBX when no PortSIP source is configured (a realistic week of calls ending now, on the real clock).
/// Setting those values points the same run at real storage or a real PBX.
/// </summary>
internal sealed class LocalEnvironment : IAsyncDisposable
{
    private AzuriteProcess? _azurite;
    private SimulatedPbx? _pbx;

    public SimulatedPbx? Pbx => _pbx;

    public bool UsesAzurite => _azurite is not null;

    public static async Task<LocalEnvironment> StartAsync(IConfigurationManager configuration, LocalOptions options, CancellationToken cancellationToken)
    {
        var environment = new LocalEnvironment();
        try
        {
            var overrides = new Dictionary<string, string?>();
            if (string.IsNullOrWhiteSpace(configuration["AzureWebJobsStorage"]) && !configuration.GetSection("AzureWebJobsStorage").GetChildren().Any())
            {
                Console.WriteLine("Starting Azurite (AzureWebJobsStorage is not set) …");
                environment._azurite = await AzuriteProcess.StartAsync(cancellationToken: cancellationToken);
                overrides["AzureWebJobsStorage"] = environment._azurite.ConnectionString;
            }

            var portSip = configuration.GetSection("PortSip");
            if (string.IsNullOrWhiteSpace(portSip["BaseUrl"]) && !portSip.GetSection("Sources").GetChildren().Any())
            {
                var now = DateTimeOffset.UtcNow;
                Console.WriteLine($"Starting the simulated PortSIP PBX ({options.Calls} calls over {options.Days} days, seed {options.Seed}) …");
                environment._pbx = await SimulatedPbx.StartAsync(
                    new SimulatorOptions
                    {
                        VisibilityDelay = TimeSpan.FromSeconds(30),
                        Generation = new GenerationOptions
                        {
                            Seed = options.Seed,
                            CallCount = options.Calls,
                            From = now.AddDays(-options.Days),
                            To = now,
                        },
                    },
                    cancellationToken);
                overrides["PortSip:BaseUrl"] = environment._pbx.BaseUrl.ToString();
                overrides["PortSip:Username"] = "admin";
                overrides["PortSip:Password"] = "admin-secret";
                overrides["PortSip:TenantDomain"] = SimulatorOptions.DefaultTenantDomain;
                overrides["PortSip:SourceName"] = "demo";
                if (string.IsNullOrWhiteSpace(configuration["Sync:StartDaysBack"]))
                {
                    overrides["Sync:StartDaysBack"] = (options.Days + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            configuration.AddInMemoryCollection(overrides);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_pbx is not null)
        {
            await _pbx.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
