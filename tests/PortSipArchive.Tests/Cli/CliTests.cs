using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PortSip.Simulator;
using PortSipArchive.Archive;
using PortSipArchive.Backfill;
using PortSipArchive.Cli;
using PortSipArchive.Tests.Infrastructure;

namespace PortSipArchive.Tests.Cli;

[Collection(AzuriteCollection.Name)]
public sealed class CliTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset From = new(2024, 8, 12, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = From.AddDays(4);
    private SimulatedPbx _pbx = null!;
    private Dictionary<string, string?> _environment = null!;

    public async Task InitializeAsync()
    {
        _pbx = await SimulatedPbx.StartAsync(new SimulatorOptions
        {
            Generation = new GenerationOptions { Seed = 5, CallCount = 240, From = From, To = To, LongCallShare = 0 },
        });
        _environment = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Archive__TablePrefix"] = AzuriteFixture.UniqueName("cli"),
            ["Archive__RecordingsContainer"] = AzuriteFixture.UniqueName("rec"),
            ["RECORDINGS_QUEUE"] = AzuriteFixture.UniqueName("q"),
            ["PortSip__BaseUrl"] = _pbx.BaseUrl.ToString(),
            ["PortSip__Username"] = "admin",
            ["PortSip__Password"] = "admin-secret",
            ["PortSip__TenantDomain"] = SimulatorOptions.DefaultTenantDomain,
            ["PortSip__RetryBaseDelayMilliseconds"] = "20",
        };
    }

    public async Task DisposeAsync() => await _pbx.DisposeAsync();

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error, CancellationToken.None, _environment);
        return (code, output.ToString(), error.ToString());
    }

    private static string[] Range(string command) => [command, "--from", From.ToString("O"), "--to", To.ToString("O")];

    [Theory]
    [InlineData("PortSip__BaseUrl", null, "PortSip__BaseUrl")]
    [InlineData("PortSip__BaseUrl", "not a url", "PortSip__BaseUrl")]
    [InlineData("PortSip__LoginStyle", "Kerberos", "PortSip__LoginStyle")]
    [InlineData("Sync__OverlapMinutes", "-5", "Sync__OverlapMinutes")]
    public async Task Bad_settings_exit_non_zero_naming_the_setting(string key, string? value, string named)
    {
        _environment[key] = value;

        var (code, _, error) = await RunAsync("status");

        Assert.Equal(CliApp.BadSettings, code);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_range_is_a_usage_error()
    {
        var (code, _, error) = await RunAsync("verify", "--from", To.ToString("O"), "--to", From.ToString("O"));

        Assert.Equal(CliApp.Usage, code);
        Assert.Contains("--from", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backfill_interrupted_then_resumed_ends_complete_and_verify_says_so()
    {
        // Interrupt the backfill after its second day, as Ctrl+C would.
        using var stop = new CancellationTokenSource();
        await using (var services = BuildServices())
        {
            var backfill = ActivatorUtilities.CreateInstance<BackfillService>(services);
            var days = 0;
            var progress = new SynchronousProgress<BackfillProgress>(p =>
            {
                if (p.DoneUntil > From && ++days == 2)
                {
                    stop.Cancel();
                }
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => backfill.RunAsync(From, To, null, 2, progress, stop.Token));
        }

        var cdrListsBefore = _pbx.Requests.Count("cdrs");
        var (code, output, error) = await RunAsync([.. Range("backfill"), "--parallel", "3"]);
        Assert.True(code == CliApp.Ok, output + error);

        // Resumed: only the two remaining days were listed again (one list request each at this size).
        Assert.InRange(_pbx.Requests.Count("cdrs") - cdrListsBefore, 2, 4);
        var verify = await RunAsync([.. Range("verify"), "--json"]);
        Assert.True(verify.Code == CliApp.Ok, verify.Output + verify.Error);
        Assert.Contains("\"isComplete\": true", verify.Output, StringComparison.Ordinal);
        Assert.Contains($"\"cdrsAtPbx\": {_pbx.VisibleCdrs().Count}", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_finds_a_deleted_cdr_row_a_deleted_blob_and_a_corrupted_blob()
    {
        Assert.Equal(CliApp.Ok, (await RunAsync(Range("backfill"))).Code);
        await using var services = BuildServices();
        var tables = services.GetRequiredService<ArchiveTables>();
        var cdr = _pbx.VisibleCdrs()[10];
        await tables.Cdrs.DeleteEntityAsync(ArchiveKeys.DayPartition("main", cdr.StartedAt), ArchiveKeys.TimeRow(cdr.StartedAt, cdr.Id));
        var archivedRows = await tables.Recordings.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Status eq {RecordingStatus.Archived}")).Take(2).ToListAsync();
        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_environment["Archive__RecordingsContainer"]);
        await container.GetBlobClient(archivedRows[0].GetString("BlobName")).DeleteAsync();
        var corrupted = container.GetBlobClient(archivedRows[1].GetString("BlobName"));
        await corrupted.UploadAsync(BinaryData.FromString("not the recording"), overwrite: true);

        var (code, output, _) = await RunAsync([.. Range("verify"), "--json"]);

        Assert.Equal(CliApp.Incomplete, code);
        Assert.Contains("\"isComplete\": false", output, StringComparison.Ordinal);
        Assert.Contains($"\"kind\": \"cdr-missing\",\n      \"id\": \"{cdr.Id}\"", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"\"id\": \"{archivedRows[0].GetString("RecordingId")}\"", output, StringComparison.Ordinal);
        Assert.Contains("recording-blob-missing", output, StringComparison.Ordinal);
        Assert.Contains("recording-blob-mismatch", output, StringComparison.Ordinal);
        Assert.Contains($"\"id\": \"{archivedRows[1].GetString("RecordingId")}\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_and_status_commands_report_per_source()
    {
        _environment["Sync__StartDaysBack"] = "1";

        var sync = await RunAsync("sync");
        var status = await RunAsync("status", "--json");

        Assert.True(sync.Code == CliApp.Ok, sync.Output + sync.Error);
        Assert.Contains("main", sync.Output, StringComparison.Ordinal);
        Assert.Contains("\"lastRunOutcome\": \"Success\"", status.Output, StringComparison.Ordinal);
    }

    private ServiceProvider BuildServices() =>
        new ServiceCollection().AddLogging().AddPortSipArchive(new ConfigurationBuilder()
            .AddInMemoryCollection(_environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => e.Value)).Build())
            .BuildServiceProvider();

    /// <summary>Reports on the caller's thread, so cancellation happens exactly at the reported point.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
