using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PortSip.Simulator;
using PortSipArchive.Archive;
using PortSipArchive.Sync;
using PortSipArchive.Tests.Infrastructure;

namespace PortSipArchive.Tests.Sync;

/// <summary>One PortSIP source of a test: its simulated PBX and the password the sync logs in with.</summary>
internal sealed record TestSource(string Name, SimulatedPbx Pbx, string Password = "admin-secret");

/// <summary>
/// The sync wired as in production (AddPortSipArchive) against Azurite and simulated PBXs over HTTP, with the
/// sync's clock set to the PBXs' fake clock and a unique table prefix and queue per test.
/// </summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SyncHarness(ServiceProvider services, FakeTimeProvider clock, CrashSwitch crash)
    {
        _services = services;
        Clock = clock;
        Crash = crash;
        Tables = services.GetRequiredService<ArchiveTables>();
        Sync = services.GetRequiredService<CdrSyncService>();
    }

    public FakeTimeProvider Clock { get; }

    public ArchiveTables Tables { get; }

    public CdrSyncService Sync { get; }

    public CrashSwitch Crash { get; }

    public static readonly DateTimeOffset WeekStart = new(2024, 8, 12, 0, 0, 0, TimeSpan.Zero);

    public static async Task<SimulatedPbx> StartPbxAsync(FakeTimeProvider clock, int seed, int calls, TimeSpan? visibilityDelay = null, double longCallShare = 0.05) =>
        await SimulatedPbx.StartAsync(new SimulatorOptions
        {
            TimeProvider = clock,
            VisibilityDelay = visibilityDelay ?? TimeSpan.FromMinutes(2),
            Generation = new GenerationOptions { Seed = seed, CallCount = calls, From = WeekStart, To = WeekStart.AddDays(7), LongCallShare = longCallShare },
        });

    public static SyncHarness Create(AzuriteFixture azurite, FakeTimeProvider clock, IReadOnlyList<TestSource> sources, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Archive__TablePrefix"] = AzuriteFixture.UniqueName("t"),
            ["RECORDINGS_QUEUE"] = AzuriteFixture.UniqueName("q"),
            ["PortSip__Username"] = "admin",
            ["PortSip__TenantDomain"] = SimulatorOptions.DefaultTenantDomain,
            ["PortSip__RetryBaseDelayMilliseconds"] = "20",
            ["PortSip__MaxRetries"] = "6",
            ["Sync__StartDaysBack"] = "1",
        };
        foreach (var source in sources)
        {
            values[$"PortSip__Sources__{source.Name}__BaseUrl"] = source.Pbx.BaseUrl.ToString();
            values[$"PortSip__Sources__{source.Name}__Password"] = source.Password;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => v.Value))
            .Build();
        var services = new ServiceCollection();
        var crash = new CrashSwitch();
        services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new CrashingHandler(crash)));
        services.AddPortSipArchive(configuration);
        services.AddKeyedSingleton<TimeProvider>(ArchiveClock.Key, clock);
        return new SyncHarness(services.BuildServiceProvider(), clock, crash);
    }

    public Task<IReadOnlyList<SourceSyncReport>> RunAsync(CancellationToken cancellationToken = default) => Sync.RunAsync(cancellationToken);

    /// <summary>One source's run without the service's table and queue creation (so a test can remove the queue first).</summary>
    public Task<SourceSyncReport> RunSourceAsync(string source) =>
        _services.GetRequiredService<SourceSyncRun>().RunAsync(source, Clock.GetUtcNow().AddHours(1), CancellationToken.None);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>Makes the PortSIP HTTP pipeline throw (as a crashed process would stop) after a given number of requests.</summary>
internal sealed class CrashSwitch
{
    private int _remaining = -1;

    /// <summary>The request with this 1-based number (from now) throws; 0 disarms.</summary>
    public void AfterRequests(int count) => Volatile.Write(ref _remaining, count <= 0 ? -1 : count);

    public bool Take() => Interlocked.Decrement(ref _remaining) == 0;
}

/// <summary>The outermost PortSIP handler in tests: throws when the <see cref="CrashSwitch"/> says so.</summary>
internal sealed class CrashingHandler(CrashSwitch crash) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        crash.Take() ? throw new OperationCanceledException("simulated crash") : base.SendAsync(request, cancellationToken);
}
