using PortSipArchive.Local;

namespace PortSipArchive.Tests.Infrastructure;

/// <summary>
/// Azurite for one test assembly. Uses the instance .ci/run started (PORTSIP_TEST_STORAGE) when present;
/// otherwise starts node_modules/azurite on port 0 (the same <see cref="AzuriteProcess"/> the local run uses).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _process;

    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("PORTSIP_TEST_STORAGE");
        if (!string.IsNullOrWhiteSpace(external))
        {
            ConnectionString = external;
            return;
        }

        _process = await AzuriteProcess.StartAsync();
        ConnectionString = _process.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    /// <summary>A storage-safe unique name (lower-case letters and digits) for a table, container or queue.</summary>
    public static string UniqueName(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
