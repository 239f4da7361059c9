using System.Globalization;
using System.Text;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;

namespace PortSipArchive.Recordings;

/// <summary>The blob name and the blob metadata of an archived recording.</summary>
public static class RecordingMetadata
{
    public const string Source = "source";
    public const string RecordingId = "recordingid";
    public const string CdrId = "cdrid";
    public const string Caller = "caller";
    public const string Callee = "callee";
    public const string StartedAt = "startedat";
    public const string Sha256 = "sha256";
    public const string Unlinked = "unlinked";

    /// <summary><c>{source}/{yyyy}/{MM}/{dd}/{cdrId or "unlinked"}_{recordingId}.{ext}</c>, the date being started_at in UTC.</summary>
    public static string BlobName(string source, DateTimeOffset startedAt, string? cdrId, string recordingId, string extension)
    {
        var day = startedAt.UtcDateTime.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture);
        var link = string.IsNullOrEmpty(cdrId) ? Unlinked : ArchiveKeys.Encode(cdrId);
        return $"{ArchiveKeys.Encode(source)}/{day}/{link}_{ArchiveKeys.Encode(recordingId)}.{extension}";
    }

    /// <summary>The metadata without sha256 (the writer adds it once the content is hashed). Empty values are left out.</summary>
    public static Dictionary<string, string> Build(string source, PortSipRecordingDetail detail, string? cdrId, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string key, string? value)
        {
            var encoded = Encode(value);
            if (encoded.Length > 0)
            {
                values[key] = encoded;
            }
        }

        Add(Source, source);
        Add(RecordingId, detail.Id);
        Add(CdrId, cdrId);
        Add(Caller, detail.Caller);
        Add(Callee, detail.Callee);
        Add(StartedAt, startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        return values;
    }

    /// <summary>
    /// Metadata travels in HTTP headers: ASCII only, no control characters, no leading or trailing spaces (Azure
    /// rejects or mis-signs them). The value is trimmed; '%', control and non-ASCII characters are percent-encoded (UTF-8).
    /// </summary>
    public static string Encode(string? value)
    {
        var trimmed = (value ?? string.Empty).Trim();
        if (trimmed.All(c => c is >= ' ' and < (char)0x7F and not '%'))
        {
            return trimmed;
        }

        var builder = new StringBuilder(trimmed.Length + 16);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in trimmed.EnumerateRunes())
        {
            if (rune.Value is >= ' ' and < 0x7F and not '%')
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var count = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..count])
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    public static string Decode(string value) => Uri.UnescapeDataString(value ?? string.Empty);
}
