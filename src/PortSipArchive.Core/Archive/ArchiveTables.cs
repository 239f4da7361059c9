using Azure.Data.Tables;
using Azure.Storage.Queues;
using PortSipArchive.Storage;

namespace PortSipArchive.Archive;

/// <summary>The archive's tables (prefix + suffix, e.g. <c>portsipcdrs</c>) and the recordings queue, created on first use.</summary>
public sealed class ArchiveTables
{
    private readonly Lock _createGate = new();
    private Task? _creation;

    public ArchiveTables(StorageConnection storage, ArchiveSettings settings)
        : this(Required(storage).CreateTableServiceClient(), storage.CreateQueueServiceClient(), settings)
    {
    }

    /// <summary>The same tables through clients built elsewhere (e.g. with the API's own client options).</summary>
    public ArchiveTables(TableServiceClient tables, QueueServiceClient queues, ArchiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(settings);
        var prefix = settings.TablePrefix;
        Cdrs = tables.GetTableClient(prefix + "cdrs");
        CdrsByExtension = tables.GetTableClient(prefix + "cdrsbyext");
        Keys = tables.GetTableClient(prefix + "keys");
        Stats = tables.GetTableClient(prefix + "stats");
        Recordings = tables.GetTableClient(prefix + "recordings");
        State = tables.GetTableClient(prefix + "state");
        Quarantine = tables.GetTableClient(prefix + "quarantine");
        RecordingStatus = tables.GetTableClient(prefix + "recordingstatus");
        RecordingsQueue = queues.GetQueueClient(settings.RecordingsQueue);
    }

    /// <summary>One row per CDR, partitioned by source and day.</summary>
    public TableClient Cdrs { get; }

    /// <summary>A full copy of each CDR per extension (caller and callee), partitioned by source, extension and month.</summary>
    public TableClient CdrsByExtension { get; }

    /// <summary>Id lookups: CDR and recording id → their row.</summary>
    public TableClient Keys { get; }

    /// <summary>Daily aggregates per source: all calls, per direction, per extension.</summary>
    public TableClient Stats { get; }

    /// <summary>Recording status rows (Pending, Archived, Failed, Missing).</summary>
    public TableClient Recordings { get; }

    /// <summary>Sync state per source: watermark, sweep position, last run.</summary>
    public TableClient State { get; }

    /// <summary>Items PortSIP sent that could not be read, with their raw JSON.</summary>
    public TableClient Quarantine { get; }

    /// <summary>Recordings that need attention, by source and status (see Recordings/RecordingStatusIndex).</summary>
    public TableClient RecordingStatus { get; }

    public QueueClient RecordingsQueue { get; }

    public IEnumerable<TableClient> All => [Cdrs, CdrsByExtension, Keys, Stats, Recordings, State, Quarantine, RecordingStatus];

    /// <summary>Creates the tables and the queue once per process (again after a failed attempt).</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        lock (_createGate)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
            {
                _creation = CreateAsync(cancellationToken);
            }

            return _creation;
        }
    }

    private async Task CreateAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(All.Select(t => t.CreateIfNotExistsAsync(cancellationToken)));
        await RecordingsQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
    }

    private static StorageConnection Required(StorageConnection storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage;
    }
}
