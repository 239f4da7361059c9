using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PortSipArchive;
using PortSipArchive.Local;
using PortSipArchive.Archive;
using PortSipArchive.Benchmarks;
using PortSipArchive.PortSip;
using PortSipArchive.Sync;

// dotnet run -c Release --project bench/PortSipArchive.Benchmarks -- sync --cdrs 100000
if (args.Length > 0 && args[0] == "recordings")
{
    await using var recordingsAzurite = await AzuriteProcess.StartAsync();
    using var recordingsSampler = new WorkingSetSampler();
    return await RecordingBenchmark.RunAsync(recordingsAzurite.ConnectionString, recordingsSampler);
}

if (args.Length > 0 && args[0] == "query")
{
    await using var queryAzurite = await AzuriteProcess.StartAsync();
    return await QueryBenchmark.RunAsync(queryAzurite.ConnectionString, args.Length >= 3 && args[1] == "--repetitions" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5);
}

if (args.Length == 0 || args[0] != "sync")
{
    Console.WriteLine("usage: sync [--cdrs N] [--sync-only] [--one-azurite-process]   (default 100000)");
    return 1;
}

var cdrCount = args.Length >= 3 && args[1] == "--cdrs" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
const int Days = 7;

// Azurite runs blob, queue and table on one JavaScript thread; in Azure they are separate services. By default the queue
// gets its own Azurite process, so the sync's 60,000 queue sends do not slow its table writes down on Azurite's thread
// (they would not in Azure). --one-azurite-process measures with everything in one process instead.
var queueInOwnProcess = !args.Contains("--one-azurite-process");
Console.WriteLine(queueInOwnProcess ? "Azurite: queue in its own process, blob and table in another" : "Azurite: blob, queue and table in one process");
var syncSettings = new SyncSettings { StartBack = TimeSpan.FromDays(Days + 1) };
using var sampler = new WorkingSetSampler();

// Every phase (each sync, each ceiling, the one-entity run) gets its own fresh Azurite process, started before the
// phase and killed after it, so each starts from an empty store: in-memory Azurite slows down as it fills, and a
// shared one would make every later phase slower than the one before.

// One sync of a fresh archive from a simulated PBX in a child process (real clock), wired as in production.
// Returns the figures and every CDR and recording the PBX lists (read after the measurement, for the storage ceiling).
async Task<(TimeSpan Elapsed, long PeakBytes, SourceSyncReport Report, List<PortSipCdr> Cdrs, List<PortSipRecordingSummary> Recordings)> SyncAsync(int calls, bool keepCdrs)
{
    await using var azurite = await AzuriteProcess.StartAsync(queueInOwnProcess: queueInOwnProcess);
    await using var pbx = await SimulatorProcess.StartAsync(seed: 7, calls, Days);
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["Archive:TablePrefix"] = "s" + Guid.NewGuid().ToString("N")[..10],
        ["PortSip:BaseUrl"] = pbx.BaseUrl.ToString(),
        ["PortSip:Username"] = "admin",
        ["PortSip:Password"] = "admin-secret",
        ["PortSip:TenantDomain"] = "sim.portsip.local",
        ["Sync:StartDaysBack"] = ((int)syncSettings.StartBack.TotalDays).ToString(CultureInfo.InvariantCulture),
        ["Sync:MaxRunSeconds"] = "3600",
        ["Sync:MaxRequests"] = "10000000",
    }).Build();
    var services = new ServiceCollection();
    services.AddPortSipArchive(configuration);
    await using var provider = services.BuildServiceProvider();
    var sync = provider.GetRequiredService<CdrSyncService>();
    await provider.GetRequiredService<ArchiveTables>().EnsureCreatedAsync(CancellationToken.None);
    sampler.Reset();
    var cpu = CpuMeter.Start(azurite, pbx);
    var watch = Stopwatch.StartNew();
    var report = (await sync.RunAsync(CancellationToken.None)).Single();
    watch.Stop();
    var cpuUsed = cpu.Stop();
    var peak = sampler.PeakBytes;
    if (report.Outcome != SyncOutcome.Success)
    {
        throw new InvalidOperationException($"Sync did not finish: {report}");
    }

    var cdrs = new List<PortSipCdr>();
    var recordings = new List<PortSipRecordingSummary>();
    if (keepCdrs)
    {
        var client = provider.GetRequiredService<PortSipClients>()[report.Source];
        var listFrom = report.RunStarted - syncSettings.StartBack - syncSettings.Overlap;
        await foreach (var item in client.ListCdrsAsync(listFrom, report.RunStarted, CancellationToken.None))
        {
            if (item.IsValid)
            {
                cdrs.Add(item.Value);
            }
        }

        await foreach (var item in client.ListRecordingsAsync(listFrom, report.RunStarted, CancellationToken.None))
        {
            if (item.IsValid)
            {
                recordings.Add(item.Value);
            }
        }
    }

    Console.WriteLine($"  {report.RecordingsEnqueued:N0} recordings enqueued; queue sends took {provider.GetRequiredService<RecordingQueueWriter>().SendTime.TotalSeconds:F1} s");
    Console.WriteLine($"  CPU used: {cpuUsed}");
    return (watch.Elapsed, peak, report, cdrs, recordings);
}

static void PrintBreakdown(SourceSyncReport report)
{
    var c = report.Counters!;
    Console.WriteLine($"  waiting on: PortSIP CDR pages {c.CdrListing.TotalSeconds:F1} s, CDR table writes {c.CdrWrites.TotalSeconds:F1} s, " +
        $"recordings (list + register) {c.Recordings.TotalSeconds:F1} s (of which waiting for background registration {c.RecordingWaits.TotalSeconds:F1} s), daily stats {c.Stats.TotalSeconds:F1} s (in the background except at the end); " +
        $"{c.RowsWritten:N0} CDR rows in {c.Transactions:N0} transactions ({(double)c.RowsWritten / Math.Max(1, c.Transactions):F1} rows each), {report.Requests:N0} PortSIP requests");
}

// --sync-only: just the large sync (for profiling and quick comparisons; prints no ratios).
var syncOnly = args.Contains("--sync-only");
if (syncOnly)
{
    var only = await SyncAsync(cdrCount, keepCdrs: false);
    Console.WriteLine($"sync {cdrCount:N0} CDRs: {only.Report.CdrsWritten:N0} written in {only.Elapsed.TotalSeconds:F1} s = {only.Report.CdrsWritten / only.Elapsed.TotalSeconds:F0} CDRs/s, peak working set {only.PeakBytes / 1048576} MB");
    PrintBreakdown(only.Report);
    return 0;
}

var small = await SyncAsync(10_000, keepCdrs: false);
Console.WriteLine($"sync 10,000 CDRs: {small.Report.CdrsWritten:N0} written in {small.Elapsed.TotalSeconds:F1} s, peak working set {small.PeakBytes / 1048576} MB");
PrintBreakdown(small.Report);
var large = await SyncAsync(cdrCount, keepCdrs: true);
Console.WriteLine($"sync {cdrCount:N0} CDRs: {large.Report.CdrsWritten:N0} written in {large.Elapsed.TotalSeconds:F1} s = {large.Report.CdrsWritten / large.Elapsed.TotalSeconds:F0} CDRs/s, peak working set {large.PeakBytes / 1048576} MB");
PrintBreakdown(large.Report);

// Storage ceilings, written the way the sync writes (same TableWriteBuffer, same chunks of started_at, same commit
// rule, same parallelism), without PortSIP: (1) the CDR rows only (cdrs, cdrsbyext, keys); (2) every table entity the
// sync writes per CDR and recording: the CDR rows plus each recording's Pending row (written once, already Enqueued),
// key row and status-index entry. Neither includes queue messages (not table entities), the Enqueued mark (a second
// write of an entity) or the daily stats.
var writer = new TableBatchWriter(parallelism: 8);
var mainFrom = large.Report.RunStarted - syncSettings.StartBack - syncSettings.Overlap;
async Task<(TimeSpan Elapsed, long Rows, int Transactions)> CeilingAsync(bool withRecordings)
{
    await using var azurite = await AzuriteProcess.StartAsync(queueInOwnProcess: queueInOwnProcess);
    var storage = PortSipArchive.Storage.StorageConnection.FromConnectionString(azurite.ConnectionString);
    var tables = new ArchiveTables(storage, new ArchiveSettings { TablePrefix = "c" + Guid.NewGuid().ToString("N")[..10] });
    await tables.EnsureCreatedAsync(CancellationToken.None);
    var buffer = SyncWindowArchiver.CreateCdrBuffer(writer);
    long ChunkOf(DateTimeOffset startedAt) => (long)((startedAt - mainFrom) / syncSettings.Chunk);
    var recordingsByChunk = withRecordings ? large.Recordings.ToLookup(r => ChunkOf(r.StartedAt)) : null;
    var cpu = CpuMeter.Start(azurite, null);
    var watch = Stopwatch.StartNew();
    var rowsAtCommit = 0L;
    foreach (var chunk in large.Cdrs.OrderBy(c => c.StartedAt).GroupBy(c => ChunkOf(c.StartedAt)))
    {
        foreach (var cdr in chunk)
        {
            await buffer.AddAsync(CdrRows.AllRows(tables, "main", cdr), CancellationToken.None);
        }

        foreach (var recording in recordingsByChunk?[chunk.Key] ?? [])
        {
            await buffer.AddAsync(RecordingQueueWriter.NewRows(tables, "main", recording), CancellationToken.None);
        }

        if (buffer.PendingRows + buffer.RowsSent - rowsAtCommit >= SyncWindowArchiver.CommitRows)
        {
            await buffer.FlushAsync(CancellationToken.None);
            rowsAtCommit = buffer.RowsSent;
        }
    }

    await buffer.FlushAsync(CancellationToken.None);
    watch.Stop();
    Console.WriteLine($"  CPU used: {cpu.Stop()}");
    return (watch.Elapsed, buffer.RowsSent, buffer.TransactionsSent);
}

var cdrCeiling = await CeilingAsync(withRecordings: false);
var ceilingRate = cdrCeiling.Rows / cdrCeiling.Elapsed.TotalSeconds;
Console.WriteLine($"storage ceiling (1) CDR rows only: {cdrCeiling.Rows:N0} entities of {large.Cdrs.Count:N0} CDRs in {cdrCeiling.Elapsed.TotalSeconds:F1} s ({ceilingRate:F0} entities/s, {cdrCeiling.Transactions:N0} transactions)");
var allCeiling = await CeilingAsync(withRecordings: true);
Console.WriteLine($"storage ceiling (2) all table entities: {allCeiling.Rows:N0} entities of {large.Cdrs.Count:N0} CDRs and {large.Recordings.Count:N0} recordings in {allCeiling.Elapsed.TotalSeconds:F1} s ({allCeiling.Rows / allCeiling.Elapsed.TotalSeconds:F0} entities/s, {allCeiling.Transactions:N0} transactions)");
var ceiling = cdrCeiling.Elapsed;

// One entity per request, same parallelism, on the first 10,000 CDRs' rows.
TimeSpan singleElapsed;
int singleCount;
await using (var singleAzurite = await AzuriteProcess.StartAsync())
{
    var singleStorage = PortSipArchive.Storage.StorageConnection.FromConnectionString(singleAzurite.ConnectionString);
    var singleTables = new ArchiveTables(singleStorage, new ArchiveSettings { TablePrefix = "o" + Guid.NewGuid().ToString("N")[..10] });
    await singleTables.EnsureCreatedAsync(CancellationToken.None);
    var singleRows = large.Cdrs.Take(10_000).SelectMany(c => CdrRows.AllRows(singleTables, "main", c)).ToList();
    var single = Stopwatch.StartNew();
    await Parallel.ForEachAsync(singleRows, new ParallelOptions { MaxDegreeOfParallelism = writer.Parallelism },
        async (row, ct) => await row.Table.UpsertEntityAsync(row.Entity, TableUpdateMode.Merge, ct));
    single.Stop();
    singleElapsed = single.Elapsed;
    singleCount = singleRows.Count;
}

var singleRate = singleCount / singleElapsed.TotalSeconds;
Console.WriteLine($"one entity per request: {singleCount:N0} entities in {singleElapsed.TotalSeconds:F1} s ({singleRate:F0} entities/s)");

Console.WriteLine($"(a) sync time / storage ceiling (1) CDR rows only = {large.Elapsed.TotalSeconds / ceiling.TotalSeconds:F2} (target <= 1.5)");
Console.WriteLine($"(a) sync time / storage ceiling (2) all table entities = {large.Elapsed.TotalSeconds / allCeiling.Elapsed.TotalSeconds:F2} (target <= 1.5)");
Console.WriteLine($"(b) batched vs one entity per request = {ceilingRate / singleRate:F1}x (target >= 3)");
Console.WriteLine($"peak working set of the sync process: {small.PeakBytes / 1048576} MB at 10,000 CDRs, {large.PeakBytes / 1048576} MB at {cdrCount:N0} CDRs (target flat, < 300 MB)");
return 0;
