using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using PortSipArchive.Configuration;

namespace PortSipArchive.PortSip;

public static class PortSipServiceCollectionExtensions
{
    /// <summary>
    /// Registers one resilient <see cref="HttpClient"/> per PortSIP source and the <see cref="PortSipClients"/>
    /// that hands out their clients. Retries with exponential backoff and jitter on 5xx, 408, 429 and network
    /// errors, honouring Retry-After; a timeout per attempt and one for the whole call.
    /// </summary>
    public static IServiceCollection AddPortSip(this IServiceCollection services, PortSipSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddKeyedSingleton<TimeProvider>(ArchiveClock.Key, (provider, _) => provider.GetRequiredService<TimeProvider>());
        foreach (var source in settings.Sources)
        {
            services.AddHttpClient(HttpClientName(source.Name), http => http.Timeout = Timeout.InfiniteTimeSpan)
                .AddResilienceHandler("portsip-" + source.Name, pipeline => ConfigurePipeline(pipeline, source));
        }

        services.AddSingleton<PortSipClients>();
        return services;
    }

    internal static string HttpClientName(string source) => "portsip:" + source;

    private static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, PortSipSourceOptions source)
    {
        pipeline.AddTimeout(source.TotalTimeout);
        if (source.MaxRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = source.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = source.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(60),
                ShouldRetryAfterHeader = true,
            });
        }

        pipeline.AddTimeout(source.AttemptTimeout);
    }
}

/// <summary>One <see cref="PortSipClient"/> per configured source, created on first use and kept (tokens are cached in it).</summary>
public sealed class PortSipClients : IDisposable
{
    private readonly IHttpClientFactory _httpClients;
    private readonly PortSipSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly Dictionary<string, PortSipClient> _clients = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    public PortSipClients(IHttpClientFactory httpClients, PortSipSettings settings, [FromKeyedServices(ArchiveClock.Key)] TimeProvider time, ILoggerFactory loggers)
    {
        _httpClients = httpClients;
        _settings = settings;
        _time = time;
        _loggers = loggers;
    }

    public IReadOnlyList<PortSipSourceOptions> Sources => _settings.Sources;

    public PortSipClient this[string source]
    {
        get
        {
            lock (_lock)
            {
                if (!_clients.TryGetValue(source, out var client))
                {
                    var options = _settings[source];
                    client = new PortSipClient(
                        _httpClients.CreateClient(PortSipServiceCollectionExtensions.HttpClientName(options.Name)),
                        options, _time, _loggers.CreateLogger<PortSipClient>());
                    _clients[options.Name] = client;
                }

                return client;
            }
        }
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
