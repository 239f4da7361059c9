using System.Text.RegularExpressions;
using Azure.Data.Tables;
using PortSipArchive.PortSip;

namespace PortSipArchive.Archive;

/// <summary>The rows one CDR is stored as: its cdrs row, one cdrsbyext copy per extension, and its id key row.</summary>
public static partial class CdrRows
{
    public const string KeyKind = "cdr";

    /// <summary>Typed columns next to the PortSIP fields; PortSIP names are snake_case, so they never collide.</summary>
    public static readonly IReadOnlySet<string> TypedColumns = new HashSet<string>(StringComparer.Ordinal)
    {
        "Source", "CdrId", "StartedAt", "EndedAt", "AnsweredAt", "RangAt", "Duration", "RecordingIds", "Extension",
    };

    public static TableEntity Cdr(string source, PortSipCdr cdr)
    {
        ArgumentNullException.ThrowIfNull(cdr);
        var entity = new TableEntity(ArchiveKeys.DayPartition(source, cdr.StartedAt), ArchiveKeys.TimeRow(cdr.StartedAt, cdr.Id));
        foreach (var (name, value) in cdr.Fields)
        {
            if (value is not null)
            {
                entity[PropertyName(name)] = value;
            }
        }

        entity["Source"] = source;
        entity["CdrId"] = cdr.Id;
        entity["StartedAt"] = cdr.StartedAt;
        SetIfPresent(entity, "EndedAt", cdr.EndedAt);
        SetIfPresent(entity, "AnsweredAt", cdr.AnsweredAt);
        SetIfPresent(entity, "RangAt", cdr.RangAt);
        entity["Duration"] = cdr.Duration;
        return entity;
    }

    /// <summary>Distinct non-empty caller and callee.</summary>
    public static IEnumerable<string> Extensions(PortSipCdr cdr)
    {
        ArgumentNullException.ThrowIfNull(cdr);
        if (cdr.Caller.Length > 0)
        {
            yield return cdr.Caller;
        }

        if (cdr.Callee.Length > 0 && !string.Equals(cdr.Callee, cdr.Caller, StringComparison.Ordinal))
        {
            yield return cdr.Callee;
        }
    }

    public static TableEntity ExtensionCopy(string source, PortSipCdr cdr, TableEntity cdrRow, string extension)
    {
        ArgumentNullException.ThrowIfNull(cdr);
        ArgumentNullException.ThrowIfNull(cdrRow);
        var copy = new TableEntity(cdrRow) { PartitionKey = ArchiveKeys.ExtensionPartition(source, extension, cdr.StartedAt), RowKey = ArchiveKeys.ExtensionRow(extension, cdrRow.RowKey) };
        copy["Extension"] = extension;
        return copy;
    }

    public static TableEntity KeyRow(string kind, string source, string id, string targetPartition, string targetRow) =>
        new(ArchiveKeys.KeyPartition(kind, id), ArchiveKeys.KeyRow(id, source))
        {
            ["TargetPartition"] = targetPartition,
            ["TargetRow"] = targetRow,
        };

    /// <summary>All rows of one CDR, to be upserted with Merge (so RecordingIds written by the archiver is kept).</summary>
    public static IEnumerable<TableWrite> AllRows(ArchiveTables tables, string source, PortSipCdr cdr)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var row = Cdr(source, cdr);
        yield return new TableWrite(tables.Cdrs, row);
        foreach (var extension in Extensions(cdr))
        {
            yield return new TableWrite(tables.CdrsByExtension, ExtensionCopy(source, cdr, row, extension));
        }

        yield return new TableWrite(tables.Keys, KeyRow(KeyKind, source, cdr.Id, row.PartitionKey, row.RowKey));
    }

    /// <summary>
    /// The table property for a PortSIP field: the PortSIP name itself when Azure accepts it (C#-identifier-like,
    /// ≤ 255 chars, not a system or typed column); otherwise <c>x_</c> + the name with other characters as '_'.
    /// </summary>
    public static string PropertyName(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (ValidName().IsMatch(field) && !TypedColumns.Contains(field) && field is not ("PartitionKey" or "RowKey" or "Timestamp" or "ETag"))
        {
            return field;
        }

        var cleaned = InvalidChar().Replace(field, "_");
        return ("x_" + cleaned)[..Math.Min(cleaned.Length + 2, 255)];
    }

    private static void SetIfPresent(TableEntity entity, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            entity[name] = v;
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,254}$")]
    private static partial Regex ValidName();

    [GeneratedRegex("[^A-Za-z0-9_]")]
    private static partial Regex InvalidChar();
}
