using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PortSip.Simulator;
using PortSipArchive.Archive;
using PortSipArchive.Functions;
using PortSipArchive.Tests.Infrastructure;

namespace PortSipArchive.Tests.Sync;

[Collection(AzuriteCollection.Name)]
public sealed class CdrSyncBehaviourTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset AfterWeek = SyncHarness.WeekStart.AddDays(7).AddHours(10);

    [Fact]
    public async Task A_failing_source_does_not_stop_the_other()
    {
        var clock = new FakeTimeProvider(AfterWeek);
        await using var good = await SyncHarness.StartPbxAsync(clock, seed: 31, calls: 100);
        await using var bad = await SyncHarness.StartPbxAsync(clock, seed: 32, calls: 100);
        await using var harness = SyncHarness.Create(azurite, clock, [new TestSource("good", good), new TestSource("bad", bad, Password: "wrong")],
            new Dictionary<string, string?> { ["Sync__StartDaysBack"] = "9" });

        var reports = await harness.RunAsync();

        Assert.Equal(SyncOutcome.Success, reports.Single(r => r.Source == "good").Outcome);
        var failed = reports.Single(r => r.Source == "bad");
        Assert.Equal(SyncOutcome.Failed, failed.Outcome);
        await ArchiveAssert.CdrsEqualAsync(harness.Tables, "good", good.VisibleCdrs());
        var states = await ArchiveAssert.RowsAsync(harness.Tables.State, "x");
        var badState = await new SyncStateStore(harness.Tables).ReadAsync("bad", CancellationToken.None);
        var goodState = await new SyncStateStore(harness.Tables).ReadAsync("good", CancellationToken.None);
        Assert.Equal(SyncOutcome.Failed, badState.LastRunOutcome);
        Assert.False(string.IsNullOrEmpty(badState.LastRunError));
        Assert.Null(badState.Watermark);
        Assert.Equal(SyncOutcome.Success, goodState.LastRunOutcome);
        Assert.Empty(states);
    }

    [Fact]
    public async Task Daily_aggregates_equal_counts_from_the_pbx_data()
    {
        var clock = new FakeTimeProvider(AfterWeek);
        await using var pbx = await SyncHarness.StartPbxAsync(clock, seed: 41, calls: 400);
        await using var harness = SyncHarness.Create(azurite, clock, [new TestSource("main", pbx)], new Dictionary<string, string?> { ["Sync__StartDaysBack"] = "9" });
        await harness.RunAsync();

        var stats = (await ArchiveAssert.RowsAsync(harness.Tables.Stats, "main")).ToDictionary(r => r.RowKey);
        var expected = new Dictionary<string, (int Calls, int Answered, long Talk)>();
        void Add(string key, SimCdr c)
        {
            var v = expected.GetValueOrDefault(key);
            expected[key] = (v.Calls + 1, v.Answered + (c.IsAnswered ? 1 : 0), v.Talk + c.Duration);
        }

        foreach (var c in pbx.Data.Cdrs)
        {
            var day = ArchiveKeys.Day(c.StartedAt);
            Add($"all|{day}", c);
            Add($"dir|{c.Direction}|{day}", c);
            // Per-extension rows only for the tenant's own extensions (the simulator's directory), never for external numbers.
            foreach (var ext in new[] { c.Caller, c.Callee }.Where(IsSimulatorExtension).Distinct())
            {
                Add($"ext|{ArchiveKeys.Encode(ext)}|{day}", c);
            }
        }

        Assert.Contains(pbx.Data.Cdrs, c => c.Direction == "INBOUND_OUTBOUND_CALL");
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), stats.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, (calls, answered, talk)) in expected)
        {
            Assert.Equal(calls, stats[key].GetInt32("Calls"));
            Assert.Equal(answered, stats[key].GetInt32("Answered"));
            Assert.Equal(calls - answered, stats[key].GetInt32("Missed"));
            Assert.Equal(talk, stats[key].GetInt64("TalkSeconds"));
        }
    }

    /// <summary>The simulated tenant's extensions are 100–149 (its CallDirectory, internal to the simulator); everything else is external.</summary>
    private static bool IsSimulatorExtension(string party) =>
        int.TryParse(party, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
        && party == n.ToString(System.Globalization.CultureInfo.InvariantCulture)
        && n is >= 100 and <= 149;

    [Theory]
    [InlineData("EXTENSION_CALL", "101", "102", "101,102")]
    [InlineData("INBOUND_CALL", "+4930123456", "101", "101")]
    [InlineData("OUTBOUND_CALL", "101", "4930123456", "101")]
    [InlineData("INBOUND_OUTBOUND_CALL", "+4930123456", "4930999999", "")]
    [InlineData("", "101", "+4930123456", "101")]
    [InlineData("SOMETHING_NEW", "1234567", "123456", "123456")]
    [InlineData(null, "anonymous", "101", "101")]
    [InlineData("EXTENSION_CALL", "101", "101", "101")]
    public void Stats_per_extension_count_only_internal_parties(string? direction, string caller, string callee, string expected) =>
        Assert.Equal(expected, string.Join(",", DailyStatsWriter.InternalParties(direction, caller, callee)));

    /// <summary>
    /// Recordings are registered in the background; a failed registration fails the run, and the watermark never passes a
    /// recording that is not registered and enqueued. The next run repairs everything.
    /// </summary>
    [Fact]
    public async Task A_failing_queue_fails_the_run_before_the_watermark_passes_unregistered_recordings()
    {
        var clock = new FakeTimeProvider(AfterWeek);
        await using var pbx = await SyncHarness.StartPbxAsync(clock, seed: 61, calls: 3000);
        await using var harness = SyncHarness.Create(azurite, clock, [new TestSource("main", pbx)], new Dictionary<string, string?> { ["Sync__StartDaysBack"] = "9" });
        await harness.Tables.EnsureCreatedAsync(CancellationToken.None);
        await harness.Tables.RecordingsQueue.DeleteIfExistsAsync();

        var failed = await harness.RunSourceAsync("main");

        Assert.Equal(SyncOutcome.Failed, failed.Outcome);
        var state = await new SyncStateStore(harness.Tables).ReadAsync("main", CancellationToken.None);
        // A recording's row is written only after its message was sent, so a row means "enqueued".
        var enqueued = (await ArchiveAssert.RowsAsync(harness.Tables.Recordings, "main"))
            .Select(r => r.GetString("RecordingId")).ToHashSet();
        var notEnqueued = pbx.VisibleRecordings().Where(r => !enqueued.Contains(r.Id)).ToList();
        Assert.NotEmpty(notEnqueued);
        if (state.Watermark is { } watermark)
        {
            Assert.All(notEnqueued, r => Assert.True(r.StartedAt >= watermark - TimeSpan.FromMinutes(30), $"{r.Id} at {r.StartedAt:O} is behind the watermark {watermark:O}"));
        }

        await harness.Tables.RecordingsQueue.CreateIfNotExistsAsync();
        Assert.Equal(SyncOutcome.Success, Assert.Single(await harness.RunAsync()).Outcome);
        await ArchiveAssert.CdrsEqualAsync(harness.Tables, "main", pbx.VisibleCdrs());
        await ArchiveAssert.RecordingsRegisteredAsync(harness.Tables, "main", pbx.VisibleRecordings());

        // Every recording has a message. A duplicate is allowed by the design (the archiver is idempotent) and was seen
        // under heavy machine load (13 of 1,736, cause not yet known); it is reported, not hidden.
        var messages = new List<string>();
        while ((await harness.Tables.RecordingsQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value is { Length: > 0 } received)
        {
            messages.AddRange(received.Select(m => System.Text.Json.Nodes.JsonNode.Parse(m.Body.ToString())!["recordingId"]!.GetValue<string>()));
        }

        Assert.Equal(pbx.VisibleRecordings().Select(r => r.Id).Order(StringComparer.Ordinal), messages.Distinct().Order(StringComparer.Ordinal));
        Console.WriteLine($"failing-queue test: {messages.Count - messages.Distinct().Count()} duplicate messages of {messages.Count}");
    }

    [Fact]
    public async Task A_small_request_budget_stops_runs_partial_and_later_runs_finish()
    {
        var clock = new FakeTimeProvider(AfterWeek);
        await using var pbx = await SyncHarness.StartPbxAsync(clock, seed: 51, calls: 200);
        await using var harness = SyncHarness.Create(azurite, clock, [new TestSource("main", pbx)],
            new Dictionary<string, string?> { ["Sync__StartDaysBack"] = "9", ["Sync__MaxRequests"] = "20", ["Sync__ChunkMinutes"] = "720" });

        var outcomes = new List<string>();
        for (var run = 0; run < 40 && outcomes.LastOrDefault() != SyncOutcome.Success; run++)
        {
            outcomes.Add((await harness.RunAsync()).Single().Outcome);
        }

        Assert.Equal(SyncOutcome.Partial, outcomes[0]);
        Assert.Equal(SyncOutcome.Success, outcomes[^1]);
        await ArchiveAssert.CdrsEqualAsync(harness.Tables, "main", pbx.VisibleCdrs());
        await ArchiveAssert.RecordingsRegisteredAsync(harness.Tables, "main", pbx.VisibleRecordings());
        Assert.Equal(pbx.VisibleRecordings().Count, await ArchiveAssert.QueueLengthAsync(harness.Tables));
        var message = (await ArchiveAssert.QueueMessagesAsync(harness.Tables))[0];
        Assert.Equal("main", message["source"]!.GetValue<string>());
        Assert.NotNull(pbx.Data.FindRecording(message["recordingId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Timer_function_calls_the_sync_service()
    {
        var clock = new FakeTimeProvider(AfterWeek);
        await using var pbx = await SyncHarness.StartPbxAsync(clock, seed: 61, calls: 50);
        await using var harness = SyncHarness.Create(azurite, clock, [new TestSource("main", pbx)], new Dictionary<string, string?> { ["Sync__StartDaysBack"] = "9" });

        await new SyncCdrs(harness.Sync).Run(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);

        await ArchiveAssert.CdrsEqualAsync(harness.Tables, "main", pbx.VisibleCdrs());
    }

    [Fact]
    public void Functions_metadata_has_the_timer_binding_with_the_schedule_setting()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        var functions = JsonNode.Parse(File.ReadAllText(path))!.AsArray();
        var sync = functions.Single(f => f!["name"]!.GetValue<string>() == "SyncCdrs")!;
        var binding = sync["bindings"]!.AsArray().Single()!;
        Assert.Equal("timerTrigger", binding["type"]!.GetValue<string>());
        Assert.Equal("%SYNC_SCHEDULE%", binding["schedule"]!.GetValue<string>());
        Assert.NotEqual(true, binding["runOnStartup"]?.GetValue<bool>());
    }
}
