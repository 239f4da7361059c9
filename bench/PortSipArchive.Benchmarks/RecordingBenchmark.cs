using System.Diagnostics;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PortSip.Simulator;
using PortSipArchive.Archive;
using PortSipArchive.Recordings;
using PortSipArchive.Sync;

namespace PortSipArchive.Benchmarks;

/// <summary>
/// <c>recordings</c>: simulated PBX (in-process, streaming generated audio) → archiver → Azurite, for 200 recordings of
/// 5 MB (6 at a time, as host.json allows per instance) and one of 2 GiB (run first), each compared with a plain copy in the same
/// run (HttpClient GET stream straight into <see cref="BlobClient.UploadAsync(Stream, BlobUploadOptions, CancellationToken)"/>,
/// same block size and concurrency, no hashing, no checks). MB = 10^6 bytes.
/// </summary>
internal static class RecordingBenchmark
{
    private const int Parallelism = 6;
    private static readonly StorageTransferOptions PlainTransfer = new() { InitialTransferSize = 8 << 20, MaximumTransferSize = 8 << 20, MaximumConcurrency = 2 };

    public static async Task<int> RunAsync(string storage, WorkingSetSampler sampler)
    {
        // The 2 GiB recording first, in a fresh process, so its peak is not inflated by the pools of 6 parallel copies.
        var large = await PhaseAsync(storage, sampler, count: 1, size: 2L << 30, parallelism: 1);
        Print("1 x 2 GiB", large);
        Console.WriteLine($"peak working set during the 2 GiB recording: archiver {large.ArchiverPeak / 1048576} MB (target < 200 MB; " +
            $"{large.Baseline / 1048576} MB before it started), plain copy {large.PlainPeak / 1048576} MB");
        var small = await PhaseAsync(storage, sampler, count: 200, size: 5_000_044, parallelism: Parallelism);
        Print("200 x 5 MB", small);
        return small.Ratio >= 0.8 && large.Ratio >= 0.8 && large.ArchiverPeak < 200L << 20 ? 0 : 2;
    }

    private static void Print(string what, PhaseResult r) => Console.WriteLine(
        $"{what}: archiver {r.Archiver.TotalSeconds:F1} s = {r.Bytes / 1e6 / r.Archiver.TotalSeconds:F1} MB/s; " +
        $"plain copy {r.Plain.TotalSeconds:F1} s = {r.Bytes / 1e6 / r.Plain.TotalSeconds:F1} MB/s; ratio {r.Ratio:F2} (target >= 0.8)");

    private static async Task<PhaseResult> PhaseAsync(string storage, WorkingSetSampler sampler, int count, long size, int parallelism)
    {
        var now = DateTimeOffset.UtcNow;
        await using var pbx = await SimulatedPbx.StartAsync(new SimulatorOptions
        {
            Generation = new GenerationOptions
            {
                Seed = 5, CallCount = count, From = now.AddDays(-2), To = now.AddDays(-1), MissedShare = 0, RecordedShare = 1, LongCallShare = 0,
                Mp3Share = 0, RecordingSize = _ => size,
            },
        });
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storage,
            ["Archive:TablePrefix"] = "r" + Guid.NewGuid().ToString("N")[..10],
            ["Archive:RecordingsContainer"] = "r" + Guid.NewGuid().ToString("N")[..10],
            ["RECORDINGS_QUEUE"] = "r" + Guid.NewGuid().ToString("N")[..10],
            ["PortSip:BaseUrl"] = pbx.BaseUrl.ToString(),
            ["PortSip:Username"] = "admin",
            ["PortSip:Password"] = "admin-secret",
            ["PortSip:TenantDomain"] = SimulatorOptions.DefaultTenantDomain,
            ["Sync:StartDaysBack"] = "3",
            ["Sync:MaxRunSeconds"] = "3600",
        }).Build();
        var services = new ServiceCollection();
        services.AddPortSipArchive(configuration);
        await using var provider = services.BuildServiceProvider();
        var tables = provider.GetRequiredService<ArchiveTables>();
        await provider.GetRequiredService<CdrSyncService>().RunAsync(CancellationToken.None);
        var messages = new List<string>();
        while ((await tables.RecordingsQueue.ReceiveMessagesAsync(32, TimeSpan.FromHours(2))).Value is { Length: > 0 } batch)
        {
            messages.AddRange(batch.Select(m => m.Body.ToString()));
        }

        if (messages.Count != count)
        {
            throw new InvalidOperationException($"The sync enqueued {messages.Count} recordings, expected {count}.");
        }

        var bytes = pbx.Data.Recordings.Sum(r => r.Size);
        var archiver = provider.GetRequiredService<RecordingArchiver>();
        sampler.Reset();
        var baseline = sampler.PeakBytes;
        var archive = Stopwatch.StartNew();
        await Parallel.ForEachAsync(messages, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (message, ct) =>
        {
            if (await archiver.ArchiveAsync(message, 1, ct) != RecordingOutcome.Archived)
            {
                throw new InvalidOperationException("A recording was not archived.");
            }
        });
        archive.Stop();
        var archiverPeak = sampler.PeakBytes;
        await provider.GetRequiredService<RecordingContainer>().Client.DeleteAsync();
        var plainContainer = new BlobContainerClient(storage, "p" + Guid.NewGuid().ToString("N")[..10]);
        await plainContainer.CreateIfNotExistsAsync();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        sampler.Reset();
        var plain = Stopwatch.StartNew();
        await Parallel.ForEachAsync(pbx.Data.Recordings, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (recording, ct) =>
        {
            using var response = await http.GetAsync(pbx.BlobUrl(recording), HttpCompletionOption.ResponseHeadersRead, ct);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            await plainContainer.GetBlobClient(recording.Id + ".wav").UploadAsync(body, new BlobUploadOptions { TransferOptions = PlainTransfer }, ct);
        });
        plain.Stop();
        var plainPeak = sampler.PeakBytes;
        await plainContainer.DeleteAsync();

        return new PhaseResult(bytes, archive.Elapsed, plain.Elapsed, archiverPeak, plainPeak, baseline);
    }

    private sealed record PhaseResult(long Bytes, TimeSpan Archiver, TimeSpan Plain, long ArchiverPeak, long PlainPeak, long Baseline)
    {
        public double Ratio => Plain.TotalSeconds / Archiver.TotalSeconds;
    }
}
