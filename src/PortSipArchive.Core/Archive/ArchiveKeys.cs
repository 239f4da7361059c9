using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PortSipArchive.Archive;

/// <summary>
/// PartitionKey and RowKey rules of the archive tables (see docs/sync-design.md). Keys never contain
/// <c>/ \ # ?</c> or control characters (Azure rejects them): such characters, '%' and the separator '|'
/// are percent-encoded.
/// </summary>
public static class ArchiveKeys
{
    public const char Separator = '|';
    public const int KeyBuckets = 16;
    private const string RowTimeFormat = "yyyyMMdd'T'HHmmssfffffff";
    private const int MaxIdKeyLength = 200;

    /// <summary>All-digit ids left-padded to 20 digits (so they sort numerically), others percent-encoded.</summary>
    public static string IdKey(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit))
        {
            return id.PadLeft(20, '0');
        }

        var encoded = Encode(id);
        return encoded.Length <= MaxIdKeyLength ? encoded : "sha256-" + Sha256Hex(id);
    }

    /// <summary>Percent-encodes '%', '|', '/', '\', '#', '?' and control characters; everything else is kept.</summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(NeedsEncoding))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (NeedsEncoding(c))
            {
                builder.Append('%').Append(((int)c).ToString(c <= 0xFF ? "X2" : "X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static string Month(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture);

    public static string Year(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy", CultureInfo.InvariantCulture);

    public static string RowTime(DateTimeOffset time) => time.UtcDateTime.ToString(RowTimeFormat, CultureInfo.InvariantCulture);

    /// <summary>cdrs and recordings: <c>{source}|{yyyyMMdd}</c> of started_at (UTC).</summary>
    public static string DayPartition(string source, DateTimeOffset startedAt) => source + Separator + Day(startedAt);

    /// <summary>cdrs, cdrsbyext and recordings: <c>{started_at as yyyyMMddTHHmmssfffffff}|{idKey}</c>.</summary>
    public static string TimeRow(DateTimeOffset startedAt, string id) => RowTime(startedAt) + Separator + IdKey(id);

    /// <summary>
    /// cdrsbyext: <c>{source}|{yyyyMM}|x{bucket}</c>, bucket = FNV-1a(extension) % 16 in hex. One extension's month is
    /// one partition (a RowKey range in it); the buckets hold many extensions each, so writes fill whole transactions
    /// (a partition per extension gave one-row transactions for the many external numbers).
    /// </summary>
    public static string ExtensionPartition(string source, string extension, DateTimeOffset startedAt) =>
        source + Separator + Month(startedAt) + Separator + "x" + Bucket(extension).ToString("x", CultureInfo.InvariantCulture);

    /// <summary>cdrsbyext: <c>{encoded extension}|{cdrs RowKey}</c>, so one extension's calls are a contiguous, time-ordered range.</summary>
    public static string ExtensionRow(string extension, string timeRow) => Encode(extension) + Separator + timeRow;

    /// <summary>keys: <c>cdr-{bucket}</c> or <c>rec-{bucket}</c>, bucket = FNV-1a(id) % 16 in hex.</summary>
    public static string KeyPartition(string kind, string id) => kind + "-" + Bucket(id).ToString("x", CultureInfo.InvariantCulture);

    /// <summary>keys: <c>{idKey}|{source}</c>, so one id from several sources has several rows.</summary>
    public static string KeyRow(string id, string source) => IdKey(id) + Separator + source;

    /// <summary>A stable bucket for an id: 32-bit FNV-1a over its UTF-8 bytes (never string.GetHashCode, which changes per process).</summary>
    public static int Bucket(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(id))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % KeyBuckets);
    }

    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static bool NeedsEncoding(char c) => c is '%' or '|' or '/' or '\\' or '#' or '?' || char.IsControl(c);
}
