using System.Globalization;

namespace PortSip.Simulator;

/// <summary>
/// Renders and reads timestamps the way PortSIP writes them: RFC 3339 in UTC with 'Z' and
/// between 0 and 6 fraction digits (trailing zeros are dropped, as a Go-style encoder does).
/// </summary>
public static class PortSipTimestamp
{
    private const string RenderFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFF'Z'";

    /// <summary>The JSON text for a timestamp; sub-microsecond ticks are dropped.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString(RenderFormat, CultureInfo.InvariantCulture);

    /// <summary>The JSON text for an optional timestamp: "" when absent, as PortSIP does.</summary>
    public static string Format(DateTimeOffset? value) => value is { } v ? Format(v) : "";

    /// <summary>Drops ticks below one microsecond so a value survives a render and parse round trip.</summary>
    public static DateTimeOffset TruncateToMicroseconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    /// <summary>
    /// Parses an RFC 3339 timestamp ("2024-08-20T06:00:59.457188Z", any number of fraction digits,
    /// 'Z' or a numeric offset). Returns false for anything else.
    /// </summary>
    public static bool TryParse(string text, out DateTimeOffset value)
    {
        value = default;
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length < 20 || text[10] is not ('T' or 't'))
        {
            return false;
        }

        int zoneStart = FindZoneStart(text);
        if (zoneStart < 19)
        {
            return false;
        }

        string dateTime = text[..19];
        string fraction = "";
        if (zoneStart > 19)
        {
            if (text[19] != '.' || zoneStart == 20 || !IsDigits(text.AsSpan(20, zoneStart - 20)))
            {
                return false;
            }

            fraction = text[20..zoneStart];
            fraction = fraction.Length > 7 ? fraction[..7] : fraction.PadRight(7, '0');
        }

        string zone = text[zoneStart..];
        if (zone is "z")
        {
            zone = "Z";
        }

        string normalized = dateTime + "." + (fraction.Length == 0 ? "0000000" : fraction) + (zone == "Z" ? "+00:00" : zone);
        return DateTimeOffset.TryParseExact(
            normalized,
            "yyyy'-'MM'-'dd'T'HH':'mm':'ss.fffffffzzz",
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out value);
    }

    private static int FindZoneStart(string text)
    {
        for (int i = 19; i < text.Length; i++)
        {
            if (text[i] is 'Z' or 'z')
            {
                return i == text.Length - 1 ? i : -1;
            }

            if (text[i] is '+' or '-')
            {
                return text.Length - i == 6 ? i : -1;
            }
        }

        return -1;
    }

    private static bool IsDigits(ReadOnlySpan<char> span)
    {
        foreach (char c in span)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
