using Azure.Data.Tables;

namespace PortSipArchive.Archive;

/// <summary>
/// Collects rows per table and PartitionKey and sends each partition's rows as soon as it holds a full entity-group
/// transaction (100 actions), at most <see cref="TableBatchWriter.Parallelism"/> transactions in flight (adding waits
/// when they are all busy, so memory stays bounded). <see cref="FlushAsync"/> sends the partial batches and waits for
/// everything: only then are the added rows committed. A RowKey added twice to a pending batch is written once (the
/// last one wins; Azure rejects a transaction that names a row twice). Not thread-safe: one producer.
/// The sync and the benchmark's storage ceiling both write through this class, so they batch the same way.
/// </summary>
public sealed class TableWriteBuffer(TableBatchWriter writer, TableTransactionActionType action)
{
    private readonly Dictionary<(string Table, string Partition), (TableClient Table, Dictionary<string, ITableEntity> Rows)> _pending = [];
    private readonly int _parallelism = writer?.Parallelism ?? throw new ArgumentNullException(nameof(writer));
    private readonly List<Task> _inFlight = [];

    /// <summary>Rows added and not yet sent.</summary>
    public int PendingRows { get; private set; }

    /// <summary>Transactions sent so far.</summary>
    public int TransactionsSent { get; private set; }

    /// <summary>Rows sent so far.</summary>
    public long RowsSent { get; private set; }

    public async Task AddAsync(IEnumerable<TableWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        foreach (var write in writes)
        {
            var key = (write.Table.Name, write.Entity.PartitionKey);
            if (!_pending.TryGetValue(key, out var group))
            {
                group = (write.Table, new Dictionary<string, ITableEntity>(StringComparer.Ordinal));
                _pending[key] = group;
            }

            var before = group.Rows.Count;
            group.Rows[write.Entity.RowKey] = write.Entity;
            PendingRows += group.Rows.Count - before;
            if (group.Rows.Count >= TableBatchWriter.MaxActionsPerBatch)
            {
                _pending.Remove(key);
                await SendAsync(group.Table, group.Rows.Values, cancellationToken);
            }
        }
    }

    /// <summary>Sends every pending row and waits for all transactions; throws the first failure.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var all = await SendPendingAsync(cancellationToken);
        _inFlight.Clear();
        await all;
    }

    /// <summary>
    /// Sends every pending row (waiting only for free transaction slots) and returns a task that completes when every
    /// row added so far is written, without waiting for it: a commit that lets the next rows be added meanwhile.
    /// Transactions that finished earlier are not in the task; they finished successfully (a failure is thrown when
    /// its slot is reused).
    /// </summary>
    public async Task<Task> SendPendingAsync(CancellationToken cancellationToken)
    {
        var groups = _pending.Values.ToList();
        _pending.Clear();
        foreach (var (table, rows) in groups)
        {
            await SendAsync(table, rows.Values, cancellationToken);
        }

        return Task.WhenAll(_inFlight.ToArray());
    }

    /// <summary>Waits for the transactions in flight without sending the partial batches (after a failure elsewhere).</summary>
    public async Task DrainAsync()
    {
        var all = _inFlight.ToArray();
        _inFlight.Clear();
        await Task.WhenAll(all).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task SendAsync(TableClient table, IReadOnlyCollection<ITableEntity> rows, CancellationToken cancellationToken)
    {
        var actions = rows.Select(e => new TableTransactionAction(action, e)).ToList();
        PendingRows -= actions.Count;
        while (_inFlight.Count >= _parallelism)
        {
            var done = await Task.WhenAny(_inFlight).WaitAsync(cancellationToken);
            _inFlight.Remove(done);
            await done;
        }

        TransactionsSent++;
        RowsSent += actions.Count;
        _inFlight.Add(table.SubmitTransactionAsync(actions, cancellationToken));
    }
}
