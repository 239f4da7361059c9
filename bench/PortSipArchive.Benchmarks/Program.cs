using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PortSip.Simulator;
using PortSipArchive;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;
using PortSipArchive.Sync;
using PortSipArchive.Benchmarks;

// dotnet run -c Release --project bench/PortSipArchive.Benchmarks -- sync --cdrs 100000
if (args.Length == 0 || args[0] != "sync")
{
    Console.WriteLine("usage: sync [--cdrs N]   (default 100000)");
    return 1;
}

var cdrCount = args.Length >= 3 && args[1] == "--cdrs" ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100_000;
var weekStart = new DateTimeOffset(2024, 8, 12, 0, 0, 0, TimeSpan.Zero);
await using var azurite = await AzuriteProcess.StartAsync();
using var sampler = new WorkingSetSampler();

async Task<(TimeSpan Elapsed, long PeakBytes, PbxData Data)> SyncAsync(int calls)
{
    var clock = new FakeTimeProvider(weekStart.AddDays(7).AddHours(10));
    await using var pbx = await SimulatedPbx.StartAsync(new SimulatorOptions
    {
        TimeProvider = clock,
        Generation = new GenerationOptions { Seed = 7, CallCount = calls, From = weekStart, To = weekStart.AddDays(7) },
    });
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["Archive:TablePrefix"] = "s" + Guid.NewGuid().ToString("N")[..10],
        ["PortSip:BaseUrl"] = pbx.BaseUrl.ToString(),
        ["PortSip:Username"] = "admin",
        ["PortSip:Password"] = "admin-secret",
        ["PortSip:TenantDomain"] = SimulatorOptions.DefaultTenantDomain,
        ["Sync:StartDaysBack"] = "9",
        ["Sync:MaxRunSeconds"] = "3600",
        ["Sync:MaxRequests"] = "10000000",
    }).Build();
    var services = new ServiceCollection();
    services.AddPortSipArchive(configuration);
    services.AddKeyedSingleton<TimeProvider>(ArchiveClock.Key, clock);
    await using var provider = services.BuildServiceProvider();
    var sync = provider.GetRequiredService<CdrSyncService>();
    await provider.GetRequiredService<ArchiveTables>().EnsureCreatedAsync(CancellationToken.None);
    sampler.Reset();
    var watch = Stopwatch.StartNew();
    var report = (await sync.RunAsync(CancellationToken.None)).Single();
    watch.Stop();
    if (report.Outcome != SyncOutcome.Success || report.CdrsWritten < calls)
    {
        throw new InvalidOperationException($"Sync did not finish: {report}");
    }

    return (watch.Elapsed, sampler.PeakBytes, pbx.Data);
}

static PortSipCdr ToCdr(SimCdr sim)
{
    var json = sim.ToListJson();
    return new PortSipCdr
    {
        Id = sim.Id, StartedAt = sim.StartedAt, RangAt = sim.RangAt, AnsweredAt = sim.AnsweredAt, EndedAt = sim.EndedAt,
        Caller = sim.Caller, Callee = sim.Callee, Direction = sim.Direction, Duration = sim.Duration,
        Fields = json.ToDictionary(p => p.Key, p => (string?)(p.Value!.GetValueKind() == JsonValueKind.String ? p.Value.GetValue<string>() : p.Value.ToJsonString())),
        RawJson = json.ToJsonString(),
    };
}

var small = await SyncAsync(10_000);
Console.WriteLine($"sync 10,000 CDRs: {small.Elapsed.TotalSeconds:F1} s, peak working set {small.PeakBytes / 1048576} MB");
var large = await SyncAsync(cdrCount);
Console.WriteLine($"sync {cdrCount:N0} CDRs: {large.Elapsed.TotalSeconds:F1} s = {cdrCount / large.Elapsed.TotalSeconds:F0} CDRs/s, peak working set {large.PeakBytes / 1048576} MB");

// Storage ceiling: the same rows, same batching (1000 CDRs per flush, 100 per transaction) and parallelism, no PortSIP.
var storage = PortSipArchive.Storage.StorageConnection.FromConnectionString(azurite.ConnectionString);
var ceilingTables = new ArchiveTables(storage, new ArchiveSettings { TablePrefix = "c" + Guid.NewGuid().ToString("N")[..10] });
await ceilingTables.EnsureCreatedAsync(CancellationToken.None);
var writer = new TableBatchWriter(parallelism: 8);
var ceilingEntities = 0L;
var ceiling = Stopwatch.StartNew();
foreach (var chunk in large.Data.Cdrs.Chunk(SyncWindowArchiver.FlushSize))
{
    var rows = chunk.SelectMany(c => CdrRows.AllRows(ceilingTables, "main", ToCdr(c))).ToList();
    ceilingEntities += rows.Count;
    await writer.UpsertAsync(rows, TableTransactionActionType.UpsertMerge, CancellationToken.None);
}

ceiling.Stop();
var ceilingRate = ceilingEntities / ceiling.Elapsed.TotalSeconds;
Console.WriteLine($"storage ceiling: {ceilingEntities:N0} entities in {ceiling.Elapsed.TotalSeconds:F1} s ({ceilingRate:F0} entities/s)");

// One entity per request, same parallelism, on the first 10,000 CDRs' rows.
var singleTables = new ArchiveTables(storage, new ArchiveSettings { TablePrefix = "o" + Guid.NewGuid().ToString("N")[..10] });
await singleTables.EnsureCreatedAsync(CancellationToken.None);
var singleRows = large.Data.Cdrs.Take(10_000).SelectMany(c => CdrRows.AllRows(singleTables, "main", ToCdr(c))).ToList();
var single = Stopwatch.StartNew();
await Parallel.ForEachAsync(singleRows, new ParallelOptions { MaxDegreeOfParallelism = writer.Parallelism },
    async (row, ct) => await row.Table.UpsertEntityAsync(row.Entity, TableUpdateMode.Merge, ct));
single.Stop();
var singleRate = singleRows.Count / single.Elapsed.TotalSeconds;
Console.WriteLine($"one entity per request: {singleRows.Count:N0} entities in {single.Elapsed.TotalSeconds:F1} s ({singleRate:F0} entities/s)");

Console.WriteLine($"(a) sync time / storage ceiling = {large.Elapsed.TotalSeconds / ceiling.Elapsed.TotalSeconds:F2} (target <= 1.5)");
Console.WriteLine($"(b) batched vs one entity per request = {ceilingRate / singleRate:F1}x (target >= 3)");
Console.WriteLine($"peak working set: {small.PeakBytes / 1048576} MB at 10,000 CDRs, {large.PeakBytes / 1048576} MB at {cdrCount:N0} CDRs (target flat, < 300 MB)");
return 0;
