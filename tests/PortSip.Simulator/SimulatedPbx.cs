using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PortSip.Simulator;

/// <summary>
/// A simulated PortSIP v22 PBX speaking the documented REST protocol over real HTTP (Kestrel on 127.0.0.1).
/// Start one per test with <see cref="StartAsync"/>; the API lives under <c>{BaseUrl}api/</c>.
/// </summary>
public sealed class SimulatedPbx : IAsyncDisposable
{
    private static readonly SimAccount Admin = new("(simulator)", "", null, SimAccount.AdminRole, null);

    private readonly WebApplication _app;
    private readonly PbxState _state;
    private int _disposed;

    private SimulatedPbx(WebApplication app, PbxState state, Uri baseUrl, SimulatorOptions options)
    {
        _app = app;
        _state = state;
        BaseUrl = baseUrl;
        Options = options;
    }

    /// <summary>"http://127.0.0.1:&lt;port&gt;/".</summary>
    public Uri BaseUrl { get; }

    /// <summary>The options the PBX was started with.</summary>
    public SimulatorOptions Options { get; }

    /// <summary>All calls, visible or not. Add or remove data here at run time.</summary>
    public PbxData Data => _state.Data;

    public FaultSwitches Faults => _state.Faults;

    public RequestCounters Requests => _state.Requests;

    public IReadOnlyList<SimAccount> Accounts => _state.Accounts;

    public static async Task<SimulatedPbx> StartAsync(SimulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        PbxData data = options.Data ?? CallGenerator.Generate(options.Generation.WithDefaultTenant(options.TenantDomain));
        var state = new PbxState(options, data);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ApplicationName = typeof(SimulatedPbx).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.MinimumLogLevel);
        builder.WebHost.UseSetting(WebHostDefaults.PreferHostingUrlsKey, "false");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, options.Port);
        });

        WebApplication app = builder.Build();
        var pipeline = new PbxPipeline(state);
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(cancellationToken);

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var bound = new Uri(address);
        return new SimulatedPbx(app, state, new Uri($"http://127.0.0.1:{bound.Port}/"), options);
    }

    /// <summary>The CDRs an Admin would see now (ordered by started_at then id).</summary>
    public IReadOnlyList<SimCdr> VisibleCdrs() => VisibleCdrs(Admin);

    /// <summary>The CDRs <paramref name="account"/> would see now.</summary>
    public IReadOnlyList<SimCdr> VisibleCdrs(SimAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return [.. _state.VisibleCdrs(account, _state.Data.Current, _state.Time.GetUtcNow())];
    }

    /// <summary>The recordings an Admin would see now (ordered by started_at then id).</summary>
    public IReadOnlyList<SimRecording> VisibleRecordings() => VisibleRecordings(Admin);

    /// <summary>The recordings <paramref name="account"/> would see now.</summary>
    public IReadOnlyList<SimRecording> VisibleRecordings(SimAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return [.. _state.VisibleRecordings(account, _state.Data.Current, _state.Time.GetUtcNow())];
    }

    /// <summary>The exact bytes <c>GET /api/blobs/{token}</c> serves for a recording (generated, not buffered).</summary>
    public Stream OpenRecordingContent(string recordingId)
    {
        SimRecording recording = _state.Data.FindRecordingEverStored(recordingId)
            ?? throw new KeyNotFoundException($"No recording with id {recordingId}.");
        return RecordingAudio.Open(recording);
    }

    /// <summary>The absolute download address of a recording's blob.</summary>
    public Uri BlobUrl(SimRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        return new Uri(BaseUrl, recording.DownloadPath);
    }

    /// <summary>Forgets every issued token, as a PBX restart would: the next call with an old token gets 401.</summary>
    public void RevokeAllTokens() => _state.Tokens.RevokeAll();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
