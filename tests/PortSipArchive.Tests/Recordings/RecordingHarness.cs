using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PortSip.Simulator;
using PortSipArchive.Archive;
using PortSipArchive.Recordings;
using PortSipArchive.Sync;
using PortSipArchive.Tests.Infrastructure;
using PortSipArchive.Tests.Sync;

namespace PortSipArchive.Tests.Recordings;

/// <summary>
/// A simulated PBX whose week was synced by the real sync (AddPortSipArchive against Azurite), so the recordings table
/// and the real queue hold what production would; then the archiver from the same container drains the queue.
/// </summary>
internal sealed class RecordingHarness : IAsyncDisposable
{
    public const string Source = "main";
    private readonly ServiceProvider _services;

    private RecordingHarness(ServiceProvider services, SimulatedPbx pbx)
    {
        _services = services;
        Pbx = pbx;
        Tables = services.GetRequiredService<ArchiveTables>();
        Archiver = services.GetRequiredService<RecordingArchiver>();
        Container = services.GetRequiredService<RecordingContainer>().Client;
        Settings = services.GetRequiredService<RecordingSettings>();
        Poison = null!;
    }

    public SimulatedPbx Pbx { get; }

    public ArchiveTables Tables { get; }

    public RecordingArchiver Archiver { get; }

    public BlobContainerClient Container { get; }

    public RecordingSettings Settings { get; }

    public QueueClient Poison { get; private set; }

    public static async Task<RecordingHarness> StartAsync(
        AzuriteFixture azurite, int seed, int calls, Action<GenerationOptions>? generation = null, IDictionary<string, string?>? settings = null)
    {
        var clock = new FakeTimeProvider(SyncHarness.WeekStart.AddDays(7).AddHours(10));
        var options = new GenerationOptions { Seed = seed, CallCount = calls, From = SyncHarness.WeekStart, To = SyncHarness.WeekStart.AddDays(7), LongCallShare = 0 };
        generation?.Invoke(options);
        var pbx = await SimulatedPbx.StartAsync(new SimulatorOptions { TimeProvider = clock, Generation = options });
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Archive__TablePrefix"] = AzuriteFixture.UniqueName("t"),
            ["Archive__RecordingsContainer"] = AzuriteFixture.UniqueName("c"),
            ["RECORDINGS_QUEUE"] = AzuriteFixture.UniqueName("q"),
            ["PortSip__BaseUrl"] = pbx.BaseUrl.ToString(),
            ["PortSip__Username"] = "admin",
            ["PortSip__Password"] = "admin-secret",
            ["PortSip__TenantDomain"] = SimulatorOptions.DefaultTenantDomain,
            ["PortSip__RetryBaseDelayMilliseconds"] = "10",
            ["PortSip__MaxRetries"] = "3",
            ["Sync__StartDaysBack"] = "9",
            ["Sync__MaxRunSeconds"] = "3600",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => v.Value))
            .Build();
        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(http => http.AddHttpMessageHandler(() => new CrashingHandler(new CrashSwitch())));
        services.AddPortSipArchive(configuration);
        services.AddKeyedSingleton<TimeProvider>(ArchiveServiceCollectionExtensions.ClockKey, clock);
        var harness = new RecordingHarness(services.BuildServiceProvider(), pbx);
        harness.Poison = new QueueClient(azurite.ConnectionString, harness.Tables.RecordingsQueue.Name + "-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var report = (await harness._services.GetRequiredService<CdrSyncService>().RunAsync(CancellationToken.None)).Single();
        Assert.Equal(SyncOutcome.Success, report.Outcome);
        return harness;
    }

    /// <summary>All messages now in the queue (received, so invisible for 10 minutes, not deleted).</summary>
    public async Task<List<QueueMessage>> ReceiveAllAsync()
    {
        var all = new List<QueueMessage>();
        while (true)
        {
            var batch = (await Tables.RecordingsQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(10))).Value;
            if (batch.Length == 0)
            {
                return all;
            }

            all.AddRange(batch);
        }
    }

    /// <summary>
    /// Does what the Functions host does until the queue is empty: receive, run the archiver with the dequeue count,
    /// delete on success; on an exception make the message visible again, or after maxDequeueCount move it to
    /// <c>&lt;queue&gt;-poison</c>. Returns the exceptions seen.
    /// </summary>
    public async Task<List<Exception>> DrainAsync(int parallelism = 4)
    {
        var errors = new List<Exception>();
        while (true)
        {
            var batch = (await Tables.RecordingsQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (batch.Length == 0)
            {
                return errors;
            }

            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (message, ct) =>
            {
                try
                {
                    await Archiver.ArchiveAsync(message.Body.ToString(), message.DequeueCount, ct);
                    await Tables.RecordingsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    lock (errors)
                    {
                        errors.Add(ex);
                    }

                    if (message.DequeueCount >= Settings.MaxDequeueCount)
                    {
                        await Poison.CreateIfNotExistsAsync(cancellationToken: ct);
                        await Poison.SendMessageAsync(message.Body, cancellationToken: ct);
                        await Tables.RecordingsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                    }
                    else
                    {
                        await Tables.RecordingsQueue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: ct);
                    }
                }
            });
        }
    }

    public async Task<TableEntity> RowAsync(string recordingId)
    {
        await foreach (var row in Tables.Recordings.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RecordingId eq {recordingId}")))
        {
            return row;
        }

        throw new InvalidOperationException($"No row for recording {recordingId}.");
    }

    public async Task<TableEntity?> CdrRowAsync(string cdrId)
    {
        await foreach (var row in Tables.Cdrs.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CdrId eq {cdrId}")))
        {
            return row;
        }

        return null;
    }

    public static string Sha256(Stream content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public string ExpectedSha256(string recordingId)
    {
        using var content = Pbx.OpenRecordingContent(recordingId);
        return Sha256(content);
    }

    public async Task<string> BlobSha256Async(string blobName)
    {
        await using var content = await Container.GetBlobClient(blobName).OpenReadAsync();
        return Sha256(content);
    }

    public async Task<List<string>> BlobNamesAsync()
    {
        var names = new List<string>();
        await foreach (var blob in Container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Pbx.DisposeAsync();
    }
}
