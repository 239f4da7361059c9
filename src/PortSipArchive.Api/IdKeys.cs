using Azure.Data.Tables;
using PortSipArchive.Archive;

namespace PortSipArchive.Api;

/// <summary>A row the keys table points at.</summary>
public sealed record KeyTarget(string Source, string Partition, string Row);

/// <summary>
/// Looks ids up in the <c>keys</c> table: with one source a point read, otherwise one RowKey range
/// <c>[{idKey}|, {idKey}|~)</c> in the id's bucket partition. Results are in source order.
/// </summary>
internal static class IdKeys
{
    public const int MaxIdLength = 256;

    public static async Task<IReadOnlyList<KeyTarget>> FindAsync(TableClient keys, string kind, string id, IReadOnlyList<string> sources, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxIdLength)
        {
            return [];
        }

        var partition = ArchiveKeys.KeyPartition(kind, id);
        var found = new List<KeyTarget>();
        if (sources.Count == 1)
        {
            var row = await keys.GetEntityIfExistsAsync<TableEntity>(partition, ArchiveKeys.KeyRow(id, sources[0]), cancellationToken: cancellationToken);
            if (row.HasValue && row.Value is not null)
            {
                found.Add(Target(sources[0], row.Value));
            }

            return found;
        }

        var prefix = ArchiveKeys.IdKey(id) + ArchiveKeys.Separator;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        await foreach (var row in keys.QueryAsync<TableEntity>(filter, maxPerPage: 100, cancellationToken: cancellationToken))
        {
            var source = row.RowKey[prefix.Length..];
            if (sources.Contains(source, StringComparer.Ordinal))
            {
                found.Add(Target(source, row));
            }
        }

        return found;
    }

    private static KeyTarget Target(string source, TableEntity row) =>
        new(source, EntityValues.Text(row, "TargetPartition"), EntityValues.Text(row, "TargetRow"));
}
