using System.Globalization;
using Azure;

namespace PortSipArchive.Api;

/// <summary>A single <c>Range: bytes=…</c> request resolved against the blob size; several ranges or a malformed header are ignored (200, whole body).</summary>
public sealed record ByteRange(long Offset, long Length, bool Satisfiable)
{
    public long Last => Offset + Length - 1;

    public static ByteRange? Parse(string? header, long size)
    {
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return null;
        }

        var spec = header[6..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return null;
        }

        var firstText = spec[..dash].Trim();
        var lastText = spec[(dash + 1)..].Trim();
        if (firstText.Length == 0)
        {
            // Suffix: the last N bytes.
            return long.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) && suffix > 0
                ? size == 0 ? new ByteRange(0, 0, false) : new ByteRange(Math.Max(0, size - suffix), Math.Min(suffix, size), true)
                : null;
        }

        if (!long.TryParse(firstText, NumberStyles.None, CultureInfo.InvariantCulture, out var first))
        {
            return null;
        }

        var last = size - 1;
        if (lastText.Length > 0)
        {
            if (!long.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out last) || last < first)
            {
                return null;
            }

            last = Math.Min(last, size - 1);
        }

        return first >= size ? new ByteRange(first, 0, false) : new ByteRange(first, last - first + 1, true);
    }

    public HttpRange ToHttpRange() => new(Offset, Length);
}
