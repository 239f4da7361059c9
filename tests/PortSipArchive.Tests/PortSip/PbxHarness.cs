using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using PortSip.Simulator;
using PortSipArchive.Configuration;
using PortSipArchive.PortSip;

namespace PortSipArchive.Tests.PortSip;

/// <summary>A simulated PBX on a loopback port and a <see cref="PortSipClient"/> built the way the app builds it (DI, resilience).</summary>
internal sealed class PbxHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private PbxHarness(SimulatedPbx pbx, ServiceProvider services, FakeTimeProvider clock, CapturingLoggerProvider logs)
    {
        Pbx = pbx;
        _services = services;
        Clock = clock;
        Logs = logs;
    }

    public SimulatedPbx Pbx { get; }

    public FakeTimeProvider Clock { get; }

    public CapturingLoggerProvider Logs { get; }

    public PortSipClient Client => _services.GetRequiredService<PortSipClients>()["main"];

    /// <summary>Generation window: the week of 2024-08-12; the clock starts after it, so every call is visible.</summary>
    public static readonly DateTimeOffset WeekStart = new(2024, 8, 12, 0, 0, 0, TimeSpan.Zero);

    public static async Task<PbxHarness> StartAsync(int calls = 300, int seed = 7, Action<Dictionary<string, string?>>? settings = null, DateTimeOffset? now = null)
    {
        var clock = new FakeTimeProvider(now ?? WeekStart.AddDays(8));
        var pbx = await SimulatedPbx.StartAsync(new SimulatorOptions
        {
            TimeProvider = clock,
            Generation = new GenerationOptions { Seed = seed, CallCount = calls, From = WeekStart, To = WeekStart.AddDays(7) },
        });
        var values = new Dictionary<string, string?>
        {
            ["PortSip:BaseUrl"] = pbx.BaseUrl.ToString(),
            ["PortSip:Username"] = "admin",
            ["PortSip:Password"] = "admin-secret",
            ["PortSip:TenantDomain"] = SimulatorOptions.DefaultTenantDomain,
            ["PortSip:RetryBaseDelayMilliseconds"] = "20",
            ["PortSip:MaxRetries"] = "4",
        };
        settings?.Invoke(values);
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))
            .AddPortSip(PortSipSettings.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build()));
        services.AddKeyedSingleton<TimeProvider>(ArchiveClock.Key, clock);
        return new PbxHarness(pbx, services.BuildServiceProvider(), clock, logs);
    }

    public int RequestsTo(string pathPart) =>
        Pbx.Requests.Log().Count(r => r.PathAndQuery.Contains(pathPart, StringComparison.Ordinal));

    public async Task<List<PortSipCdr>> AllCdrsAsync(DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var list = new List<PortSipCdr>();
        await foreach (var item in Client.ListCdrsAsync(from ?? WeekStart, to ?? WeekStart.AddDays(7), CancellationToken.None))
        {
            list.Add(item.Value);
        }

        return list;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Pbx.DisposeAsync();
    }
}

/// <summary>Keeps every formatted log line so tests can check what was (and was not) logged.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines)
            {
                owner._lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
