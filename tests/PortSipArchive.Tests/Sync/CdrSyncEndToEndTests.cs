using Microsoft.Extensions.Time.Testing;
using PortSip.Simulator;
using PortSipArchive.Archive;
using PortSipArchive.Tests.Infrastructure;

namespace PortSipArchive.Tests.Sync;

[Collection(AzuriteCollection.Name)]
public sealed class CdrSyncEndToEndTests(AzuriteFixture azurite)
{
    private const string Source = "main";

    /// <summary>A generated week with long calls and delayed visibility; the clock moves in random steps with a sync after each.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Random_week_synced_in_random_steps_equals_the_pbx(int seed)
    {
        var random = new Random(seed);
        var clock = new FakeTimeProvider(SyncHarness.WeekStart);
        await using var pbx = await SyncHarness.StartPbxAsync(clock, seed, calls: 300, visibilityDelay: TimeSpan.FromMinutes(random.Next(1, 15)), longCallShare: 0.1);
        await using var harness = SyncHarness.Create(azurite, clock, [new TestSource(Source, pbx)]);

        await RunUntilPastAllCallsAsync(harness, pbx, random, maxStep: TimeSpan.FromHours(8));

        Assert.Equal(pbx.Data.Cdrs.Count, pbx.VisibleCdrs().Count);
        await ArchiveAssert.CdrsEqualAsync(harness.Tables, Source, pbx.VisibleCdrs());
        await ArchiveAssert.RecordingsRegisteredAsync(harness.Tables, Source, pbx.VisibleRecordings());
        Assert.Equal(pbx.VisibleRecordings().Count, await ArchiveAssert.QueueLengthAsync(harness.Tables));
    }

    /// <summary>The sync is cancelled or its PortSIP connection fails at random points; later runs repair everything.</summary>
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task Crashes_at_random_points_leave_a_complete_archive(int seed)
    {
        var random = new Random(seed);
        var clock = new FakeTimeProvider(SyncHarness.WeekStart);
        await using var pbx = await SyncHarness.StartPbxAsync(clock, seed, calls: 200, longCallShare: 0.1);
        await using var harness = SyncHarness.Create(azurite, clock, [new TestSource(Source, pbx)], new Dictionary<string, string?> { ["Sync__ChunkMinutes"] = "240" });
        var crashes = 0;
        var log = new List<string>();
        var end = SyncHarness.WeekStart.AddDays(7).AddHours(10);
        while (clock.GetUtcNow() < end)
        {
            clock.Advance(TimeSpan.FromMinutes(random.Next(10, 600)));
            using var cancel = new CancellationTokenSource();
            if (random.Next(2) == 0)
            {
                harness.Crash.AfterRequests(random.Next(1, 40));
            }
            else
            {
                cancel.CancelAfter(TimeSpan.FromMilliseconds(random.Next(1, 400)));
            }

            try
            {
                var r = await harness.RunAsync(cancel.Token);
                log.Add($"{clock.GetUtcNow():O} {r[0]}");
                crashes += r[0].Outcome == SyncOutcome.Failed ? 1 : 0;
            }
            catch (OperationCanceledException)
            {
                log.Add($"{clock.GetUtcNow():O} cancelled");
                crashes++;
            }

            harness.Crash.AfterRequests(0);
        }

        var final = await harness.RunAsync();
        var archived = (await ArchiveAssert.RowsAsync(harness.Tables.Cdrs, Source)).Select(r => r.GetString("CdrId")).ToHashSet();
        var missing = pbx.VisibleCdrs().Where(c => !archived.Contains(c.Id)).Select(c => $"{c.Id} {c.StartedAt:O} {c.EndedAt:O}");
        Assert.True(!missing.Any(), string.Join("\n", missing) + "\n" + string.Join("\n", log) + final[0]);
        Assert.True(crashes > 0, "no run was interrupted");
        await ArchiveAssert.CdrsEqualAsync(harness.Tables, Source, pbx.VisibleCdrs());
        await ArchiveAssert.RecordingsRegisteredAsync(harness.Tables, Source, pbx.VisibleRecordings());
    }

    [Fact]
    public async Task Faults_during_the_sync_lose_nothing_and_quarantine_the_malformed_cdr()
    {
        var clock = new FakeTimeProvider(SyncHarness.WeekStart);
        await using var pbx = await SyncHarness.StartPbxAsync(clock, seed: 21, calls: 150);
        await using var harness = SyncHarness.Create(azurite, clock, [new TestSource(Source, pbx)]);
        var malformed = pbx.Data.Cdrs[40];
        pbx.Faults.MalformedCdrIds.Add(malformed.Id);
        pbx.Faults.TokenLifetime = TimeSpan.FromMinutes(20);
        var random = new Random(21);
        var step = 0;
        while (clock.GetUtcNow() < SyncHarness.WeekStart.AddDays(7).AddHours(10))
        {
            clock.Advance(TimeSpan.FromMinutes(random.Next(30, 720)));
            switch (step++ % 3)
            {
                case 0: pbx.Faults.Throttle(3, retryAfter: TimeSpan.Zero); break;
                case 1: pbx.Faults.ServerErrors(3, 500); break;
                default: pbx.Faults.ServerErrors(2, 503, retryAfter: TimeSpan.Zero); break;
            }

            var reports = await harness.RunAsync();
            Assert.Equal(SyncOutcome.Success, Assert.Single(reports).Outcome);
        }

        await ArchiveAssert.CdrsEqualAsync(harness.Tables, Source, [.. pbx.VisibleCdrs().Where(c => c.Id != malformed.Id)]);
        var quarantined = Assert.Single(await ArchiveAssert.RowsAsync(harness.Tables.Quarantine, Source));
        Assert.Equal("cdr|" + ArchiveKeys.IdKey(malformed.Id), quarantined.RowKey);
        Assert.Equal(malformed.Id, quarantined.GetString("ItemId"));
        Assert.Equal("started_at", quarantined.GetString("Field"));
        Assert.Contains(malformed.Id, quarantined.GetString("RawJson"), StringComparison.Ordinal);
        Assert.Contains(FaultSwitches.MalformedDateValue, quarantined.GetString("RawJson"), StringComparison.Ordinal);
        Assert.NotNull(quarantined.GetDateTimeOffset("QuarantinedAt"));
    }

    internal static async Task RunUntilPastAllCallsAsync(SyncHarness harness, SimulatedPbx pbx, Random random, TimeSpan maxStep)
    {
        var end = pbx.Data.Cdrs.Max(c => c.EndedAt) + pbx.Options.VisibilityDelay + TimeSpan.FromMinutes(1);
        while (harness.Clock.GetUtcNow() < end)
        {
            harness.Clock.Advance(TimeSpan.FromMinutes(random.Next(1, (int)maxStep.TotalMinutes)));
            var reports = await harness.RunAsync();
            Assert.All(reports, r => Assert.Equal(SyncOutcome.Success, r.Outcome));
        }

        // Any later run changes nothing.
        await harness.RunAsync();
    }
}
