using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortSipArchive.Api;

/// <summary>A row that can be written as CSV: its fields in the order of its type's header.</summary>
public interface ICsvItem
{
    IEnumerable<string?> CsvFields();
}

/// <summary>How values are written in CSV and JSON: timestamps as ISO 8601 UTC with 7 fraction digits and 'Z'.</summary>
public static class CsvFormat
{
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string? Time(DateTimeOffset? value) => value?.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Writes DateTimeOffset as <see cref="CsvFormat.TimeFormat"/> (UTC, 'Z'), so JSON and CSV agree.</summary>
public sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(CsvFormat.Time(value));
    }
}
