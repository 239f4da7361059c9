using System.Globalization;
using Azure.Data.Tables;

namespace PortSipArchive.Api;

/// <summary>Reads table properties whatever type they were stored with.</summary>
internal static class EntityValues
{
    public static string Text(TableEntity row, string name) =>
        row.TryGetValue(name, out var value) && value is not null ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;

    public static string? TextOrNull(TableEntity row, string name) => Text(row, name) is { Length: > 0 } text ? text : null;

    public static long Long(TableEntity row, string name) =>
        row.TryGetValue(name, out var value) ? value switch
        {
            int i => i,
            long l => l,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => 0,
        } : 0;

    public static DateTimeOffset? Time(TableEntity row, string name) =>
        row.TryGetValue(name, out var value) ? value switch
        {
            DateTimeOffset d => d.ToUniversalTime(),
            DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
            _ => null,
        } : null;
}
