using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;
using PortSipArchive.Recordings;

namespace PortSipArchive.Verification;

/// <summary>
/// Reconciles the archive with the PBX for a time range, one UTC day at a time (memory stays bounded by a day):
/// CDRs missing, extra or different (any PortSIP field whose text differs), and recordings that are not archived,
/// whose blob is gone, or whose blob's size or SHA-256 no longer matches what was recorded at archive time.
/// Reads only the day partitions it checks.
/// </summary>
public sealed class ArchiveVerifier(ArchiveTables tables, RecordingContainer container, PortSipClients clients)
{
    public async Task<VerificationReport> VerifyAsync(
        DateTimeOffset from, DateTimeOffset to, string? source, IProgress<DateTimeOffset>? progress, CancellationToken cancellationToken)
    {
        var report = new VerificationReport { From = from, To = to };
        var sources = source is null ? clients.Sources.Select(s => s.Name) : [clients[source].SourceName];
        foreach (var name in sources)
        {
            var client = clients[name];
            for (var dayStart = from; dayStart < to; dayStart = NextDay(dayStart))
            {
                var dayEnd = NextDay(dayStart) < to ? NextDay(dayStart) : to;
                await VerifyCdrsAsync(client, dayStart, dayEnd, report, cancellationToken);
                await VerifyRecordingsAsync(client, dayStart, dayEnd, report, cancellationToken);
                progress?.Report(dayEnd);
            }
        }

        return report;
    }

    private static DateTimeOffset NextDay(DateTimeOffset time) => new DateTimeOffset(time.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);

    private async Task VerifyCdrsAsync(PortSipClient client, DateTimeOffset from, DateTimeOffset to, VerificationReport report, CancellationToken cancellationToken)
    {
        var source = client.SourceName;
        var archived = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in QueryDayAsync(tables.Cdrs, source, from, to, cancellationToken))
        {
            archived[row.GetString("CdrId") ?? row.RowKey] = row;
        }

        report.CdrsInArchive += archived.Count;
        await foreach (var item in client.ListCdrsAsync(from, to, cancellationToken))
        {
            report.CdrsAtPbx++;
            if (!item.IsValid)
            {
                report.Add(source, FindingKind.Unreadable, item.Id ?? "(no id)", item.Error!.Message);
                if (item.Id is not null)
                {
                    archived.Remove(item.Id);
                }

                continue;
            }

            var cdr = item.Value;
            if (!archived.Remove(cdr.Id, out var row))
            {
                report.Add(source, FindingKind.CdrMissing, cdr.Id, $"started {cdr.StartedAt:u}, {cdr.Caller} → {cdr.Callee}");
                continue;
            }

            var different = cdr.Fields.Where(f => !string.Equals(f.Value ?? string.Empty, row.GetString(CdrRows.PropertyName(f.Key)) ?? string.Empty, StringComparison.Ordinal))
                .Select(f => f.Key).ToList();
            if (different.Count > 0)
            {
                report.Add(source, FindingKind.CdrDifferent, cdr.Id, "fields differ: " + string.Join(", ", different));
            }
        }

        foreach (var extra in archived.Keys)
        {
            report.Add(source, FindingKind.CdrExtra, extra, "in the archive but not listed by the PBX");
        }
    }

    private async Task VerifyRecordingsAsync(PortSipClient client, DateTimeOffset from, DateTimeOffset to, VerificationReport report, CancellationToken cancellationToken)
    {
        var source = client.SourceName;
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in QueryDayAsync(tables.Recordings, source, from, to, cancellationToken))
        {
            rows[row.GetString("RecordingId") ?? row.RowKey] = row;
        }

        await foreach (var item in client.ListRecordingsAsync(from, to, cancellationToken))
        {
            report.RecordingsAtPbx++;
            if (!item.IsValid)
            {
                report.Add(source, FindingKind.Unreadable, item.Id ?? "(no id)", item.Error!.Message);
                continue;
            }

            var id = item.Value.Id;
            if (!rows.Remove(id, out var row) || row.GetString("Status") != RecordingStatus.Archived)
            {
                report.Add(source, FindingKind.RecordingNotArchived, id, "status " + (row?.GetString("Status") ?? "none (no row)"));
                continue;
            }

            await VerifyBlobAsync(source, id, row, report, cancellationToken);
        }

        // Archived recordings the PBX no longer lists (retention, delete-after-archive) are checked too: the archive
        // copy may be the only one.
        foreach (var (id, row) in rows.Where(r => r.Value.GetString("Status") == RecordingStatus.Archived))
        {
            await VerifyBlobAsync(source, id, row, report, cancellationToken);
        }
    }

    private async Task VerifyBlobAsync(string source, string id, TableEntity row, VerificationReport report, CancellationToken cancellationToken)
    {
        var blob = container.Client.GetBlobClient(row.GetString("BlobName"));
        try
        {
            await using var content = await blob.OpenReadAsync(cancellationToken: cancellationToken);
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1 << 20];
            long size = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                sha.AppendData(buffer, 0, read);
                size += read;
            }

            var hash = Convert.ToHexStringLower(sha.GetHashAndReset());
            var expectedSize = row.GetInt64("Size");
            var expectedHash = row.GetString("Sha256");
            if (size != expectedSize || !string.Equals(hash, expectedHash, StringComparison.OrdinalIgnoreCase))
            {
                report.Add(source, FindingKind.RecordingBlobMismatch, id, $"blob has {size} bytes, SHA-256 {hash}; archived as {expectedSize} bytes, {expectedHash}");
            }
            else
            {
                report.RecordingsVerified++;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            report.Add(source, FindingKind.RecordingBlobMissing, id, $"blob {blob.Name} does not exist");
        }
    }

    private static Azure.AsyncPageable<TableEntity> QueryDayAsync(TableClient table, string source, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var partition = ArchiveKeys.DayPartition(source, from);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {ArchiveKeys.RowTime(from)} and RowKey lt {ArchiveKeys.RowTime(to)}");
        return table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken);
    }
}
