using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PortSip.Simulator;
using PortSipArchive.Api;
using PortSipArchive.Archive;
using PortSipArchive.Recordings;
using PortSipArchive.Sync;
using PortSipArchive.Tests.Infrastructure;
using PortSipArchive.Tests.Sync;

namespace PortSipArchive.Tests.Query;

/// <summary>A response as a test sees it.</summary>
internal sealed record ApiResponse(int Status, string Body, IHeaderDictionary Headers, byte[] Bytes);

/// <summary>
/// A simulated week synced by the real sync into Azurite (recordings archived by the real archiver when asked), and the
/// query API wired as in production (AddPortSipArchive + AddArchiveApi) with a request capture on its storage clients.
/// Requests are real <see cref="HttpRequest"/>s (DefaultHttpContext) whose IResult is executed against the response.
/// </summary>
internal sealed class ApiHarness : IAsyncDisposable
{
    public const string Source = "main";
    public static readonly DateTimeOffset Now = SyncHarness.WeekStart.AddDays(7).AddHours(10);
    private readonly ServiceProvider _services;

    private ApiHarness(ServiceProvider services, SimulatedPbx pbx, RequestCapture capture)
    {
        _services = services;
        Pbx = pbx;
        Capture = capture;
        Api = services.GetRequiredService<ArchiveHttpApi>();
        Tables = services.GetRequiredService<ArchiveTables>();
        TableHost = Tables.Cdrs.Uri.Authority;
    }

    public SimulatedPbx Pbx { get; }

    public RequestCapture Capture { get; }

    public ArchiveHttpApi Api { get; }

    public ArchiveTables Tables { get; }

    public string TableHost { get; }

    public IServiceProvider Services => _services;

    public static async Task<ApiHarness> StartAsync(AzuriteFixture azurite, int seed, int calls, bool archiveRecordings)
    {
        var clock = new FakeTimeProvider(Now);
        var pbx = await SimulatedPbx.StartAsync(new SimulatorOptions
        {
            TimeProvider = clock,
            Generation = new GenerationOptions { Seed = seed, CallCount = calls, From = SyncHarness.WeekStart, To = SyncHarness.WeekStart.AddDays(7), LongCallShare = 0 },
        });
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Archive:TablePrefix"] = AzuriteFixture.UniqueName("t"),
            ["Archive:RecordingsContainer"] = AzuriteFixture.UniqueName("c"),
            ["RECORDINGS_QUEUE"] = AzuriteFixture.UniqueName("q"),
            ["PortSip:BaseUrl"] = pbx.BaseUrl.ToString(),
            ["PortSip:Username"] = "admin",
            ["PortSip:Password"] = "admin-secret",
            ["PortSip:TenantDomain"] = SimulatorOptions.DefaultTenantDomain,
            ["PortSip:RetryBaseDelayMilliseconds"] = "10",
            ["Sync:StartDaysBack"] = "9",
            ["Sync:MaxRunSeconds"] = "3600",
            ["Sync:MaxRequests"] = "100000",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var capture = new RequestCapture();
        var options = new ApiClientOptions();
        options.Tables.AddPolicy(capture, Azure.Core.HttpPipelinePosition.PerCall);
        options.Blobs.AddPolicy(capture, Azure.Core.HttpPipelinePosition.PerCall);
        var services = new ServiceCollection();
        services.AddPortSipArchive(configuration);
        services.AddSingleton(options);
        services.AddArchiveApi();
        services.AddKeyedSingleton<TimeProvider>(ArchiveClock.Key, clock);
        var provider = services.BuildServiceProvider();
        var report = (await provider.GetRequiredService<CdrSyncService>().RunAsync(CancellationToken.None)).Single();
        Assert.Equal(SyncOutcome.Success, report.Outcome);
        if (archiveRecordings)
        {
            await DrainAsync(provider);
        }

        return new ApiHarness(provider, pbx, capture);
    }

    /// <summary>GET <paramref name="pathAndQuery"/> (e.g. <c>/api/cdrs?from=…</c>, the query string as sent on the wire).</summary>
    public async Task<ApiResponse> GetAsync(string pathAndQuery, string? range = null)
    {
        var split = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = split < 0 ? pathAndQuery : pathAndQuery[..split];
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Scheme = "https";
        context.Request.Host = new HostString("archive.example");
        context.Request.Path = path;
        context.Request.QueryString = split < 0 ? QueryString.Empty : new QueryString(pathAndQuery[split..]);
        if (range is not null)
        {
            context.Request.Headers.Range = range;
        }

        using var body = new MemoryStream();
        context.Response.Body = body;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var ct = CancellationToken.None;
        var result = segments switch
        {
            ["api", "cdrs"] => await Api.ListCdrsAsync(context.Request, ct),
            ["api", "cdrs", var id] => await Api.GetCdrAsync(context.Request, Uri.UnescapeDataString(id), ct),
            ["api", "recordings"] => await Api.ListRecordingsAsync(context.Request, ct),
            ["api", "recordings", var id] => await Api.GetRecordingAsync(context.Request, Uri.UnescapeDataString(id), ct),
            ["api", "recordings", var id, "content"] => await Api.GetRecordingContentAsync(context.Request, Uri.UnescapeDataString(id), ct),
            ["api", "stats", "daily"] => await Api.DailyStatsAsync(context.Request, ct),
            ["api", "status"] => await Api.StatusAsync(context.Request, ct),
            ["api", "openapi.json"] => await Api.OpenApiDocumentAsync(context.Request, ct),
            _ => throw new ArgumentException("No such route: " + path),
        };
        await result.ExecuteAsync(context);
        var bytes = body.ToArray();
        return new ApiResponse(context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(bytes), context.Response.Headers, bytes);
    }

    /// <summary>The path and query of an absolute nextLink.</summary>
    public static string Relative(string nextLink)
    {
        var uri = new Uri(nextLink);
        Assert.Equal("https://archive.example", uri.GetLeftPart(UriPartial.Authority));
        return uri.PathAndQuery;
    }

    private static async Task DrainAsync(ServiceProvider provider)
    {
        var tables = provider.GetRequiredService<ArchiveTables>();
        var archiver = provider.GetRequiredService<RecordingArchiver>();
        while (true)
        {
            var batch = (await tables.RecordingsQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (batch.Length == 0)
            {
                return;
            }

            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (message, ct) =>
            {
                await archiver.ArchiveAsync(message.Body.ToString(), message.DequeueCount, ct);
                await tables.RecordingsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Pbx.DisposeAsync();
    }
}
