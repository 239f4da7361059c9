using Azure.Data.Tables;

namespace PortSipArchive.Archive;

/// <summary>One entity to write: the table and the entity.</summary>
public readonly record struct TableWrite(TableClient Table, ITableEntity Entity);

/// <summary>
/// Writes entities as entity-group transactions: grouped by table and PartitionKey (Azure allows one partition
/// per batch), at most 100 actions per batch (Azure's limit), several batches in parallel.
/// A RowKey that appears twice in one partition is written once (the last one wins).
/// </summary>
public sealed class TableBatchWriter
{
    public const int MaxActionsPerBatch = 100;

    public TableBatchWriter(int parallelism = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        Parallelism = parallelism;
    }

    public int Parallelism { get; }

    /// <summary>Upserts all entities; returns the number of transactions sent.</summary>
    public async Task<int> UpsertAsync(IEnumerable<TableWrite> writes, TableTransactionActionType action, CancellationToken cancellationToken)
    {
        var batches = Batches(writes, action).ToList();
        if (batches.Count == 0)
        {
            return 0;
        }

        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (batch, ct) => await batch.Table.SubmitTransactionAsync(batch.Actions, ct));
        return batches.Count;
    }

    /// <summary>
    /// Inserts the entities that do not exist yet (entity-group transactions of <c>Add</c>, grouped like
    /// <see cref="UpsertAsync"/>). An Add of an existing entity fails its whole transaction with 409 and the index of the
    /// action; that entity is set aside and the rest sent again. Returns the entities that already existed, unchanged.
    /// </summary>
    public async Task<IReadOnlyList<ITableEntity>> InsertNewAsync(IEnumerable<TableWrite> writes, CancellationToken cancellationToken)
    {
        var existed = new System.Collections.Concurrent.ConcurrentBag<ITableEntity>();
        await Parallel.ForEachAsync(
            Batches(writes, TableTransactionActionType.Add).ToList(),
            new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                var actions = batch.Actions;
                while (actions.Count > 0)
                {
                    try
                    {
                        await batch.Table.SubmitTransactionAsync(actions, ct);
                        return;
                    }
                    catch (TableTransactionFailedException ex) when (ex.Status == 409 && ex.FailedTransactionActionIndex is int index && index < actions.Count)
                    {
                        existed.Add(actions[index].Entity);
                        actions = [.. actions.Where((_, i) => i != index)];
                    }
                }
            });
        return [.. existed];
    }

    /// <summary>The batches <see cref="UpsertAsync"/> sends (for the benchmark's storage ceiling and for tests).</summary>
    public static IEnumerable<(TableClient Table, List<TableTransactionAction> Actions)> Batches(IEnumerable<TableWrite> writes, TableTransactionActionType action)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var groups = new Dictionary<(string Table, string Partition), (TableClient Table, Dictionary<string, ITableEntity> Rows)>();
        foreach (var write in writes)
        {
            var key = (write.Table.Name, write.Entity.PartitionKey);
            if (!groups.TryGetValue(key, out var group))
            {
                group = (write.Table, new Dictionary<string, ITableEntity>(StringComparer.Ordinal));
                groups[key] = group;
            }

            group.Rows[write.Entity.RowKey] = write.Entity;
        }

        foreach (var (table, rows) in groups.Values)
        {
            foreach (var chunk in rows.Values.Chunk(MaxActionsPerBatch))
            {
                yield return (table, chunk.Select(e => new TableTransactionAction(action, e)).ToList());
            }
        }
    }
}
