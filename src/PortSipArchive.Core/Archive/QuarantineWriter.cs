using Microsoft.Extensions.DependencyInjection;
using Azure.Data.Tables;
using PortSipArchive.PortSip;

namespace PortSipArchive.Archive;

/// <summary>
/// Keeps items PortSIP sent that cannot be read: PK = source, RK = <c>{kind}|{idKey}</c> (or <c>{kind}|sha256-{hash of the raw JSON}</c>
/// without an id), the raw JSON (cut at 30,000 characters, flagged), the reason, the field and the time.
/// </summary>
public sealed class QuarantineWriter(ArchiveTables tables, TableBatchWriter writer, [FromKeyedServices(ArchiveClock.Key)] TimeProvider time)
{
    public const int MaxRawJsonChars = 30_000;

    public async Task WriteAsync(string source, IReadOnlyCollection<PortSipDataException> problems, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (problems.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var rows = problems.Select(p => new TableWrite(tables.Quarantine, Row(source, p, now)));
        await writer.UpsertAsync(rows, TableTransactionActionType.UpsertReplace, cancellationToken);
    }

    public static TableEntity Row(string source, PortSipDataException problem, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var kind = problem.Kind.Equals("CDR", StringComparison.OrdinalIgnoreCase) ? "cdr" : "rec";
        var idKey = problem.ItemId is { Length: > 0 } id ? ArchiveKeys.IdKey(id) : "sha256-" + ArchiveKeys.Sha256Hex(problem.RawJson);
        var truncated = problem.RawJson.Length > MaxRawJsonChars;
        return new TableEntity(source, kind + ArchiveKeys.Separator + idKey)
        {
            ["Source"] = source,
            ["Kind"] = kind,
            ["ItemId"] = problem.ItemId ?? string.Empty,
            ["Field"] = problem.Field,
            ["Reason"] = problem.Message,
            ["RawJson"] = truncated ? problem.RawJson[..MaxRawJsonChars] : problem.RawJson,
            ["RawJsonTruncated"] = truncated,
            ["RawJsonLength"] = problem.RawJson.Length,
            ["QuarantinedAt"] = now,
        };
    }
}
