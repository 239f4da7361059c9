using System.Globalization;
using System.Text.Json;

namespace PortSipArchive.PortSip;

/// <summary>
/// Tolerant reading of PortSIP items: "", null or a missing field for anything optional; ids as strings
/// (numbers kept as written, never through double); enum values kept as strings. What still cannot be read
/// becomes a <see cref="PortSipDataException"/> naming the id and the field.
/// </summary>
internal static class PortSipItemParser
{
    public static ParsedItem<PortSipCdr> Cdr(JsonElement item)
    {
        var raw = item.GetRawText();
        var reader = new ItemReader("CDR", item, raw);
        try
        {
            var id = reader.RequiredId();
            var cdr = new PortSipCdr
            {
                Id = id,
                StartedAt = reader.RequiredTime("started_at"),
                RangAt = reader.OptionalTime("rang_at"),
                AnsweredAt = reader.OptionalTime("answered_at"),
                EndedAt = reader.OptionalTime("ended_at"),
                Caller = reader.Text("caller"),
                Callee = reader.Text("callee"),
                Direction = reader.Text("direction"),
                Duration = reader.OptionalInt("duration") ?? 0,
                Fields = reader.Fields(),
                RawJson = raw,
            };
            reader.OptionalInt("status_code");
            return new ParsedItem<PortSipCdr>(cdr, id);
        }
        catch (PortSipDataException error)
        {
            return new ParsedItem<PortSipCdr>(error);
        }
    }

    public static ParsedItem<PortSipRecordingSummary> RecordingSummary(JsonElement item)
    {
        var reader = new ItemReader("recording", item, item.GetRawText());
        try
        {
            var id = reader.RequiredId();
            return new ParsedItem<PortSipRecordingSummary>(
                new PortSipRecordingSummary
                {
                    Id = id,
                    Caller = reader.Text("caller"),
                    Callee = reader.Text("callee"),
                    StartedAt = reader.RequiredTime("started_at"),
                    EndedAt = reader.OptionalTime("ended_at"),
                    Fields = reader.Fields(),
                },
                id);
        }
        catch (PortSipDataException error)
        {
            return new ParsedItem<PortSipRecordingSummary>(error);
        }
    }

    /// <summary>The detail item does not repeat its id, so the caller passes the id it asked for.</summary>
    public static PortSipRecordingDetail RecordingDetail(string id, JsonElement item)
    {
        var reader = new ItemReader("recording", item, item.GetRawText(), id);
        var fileUrl = reader.Text("file_url");
        if (fileUrl.Length == 0)
        {
            throw reader.Problem("file_url", "is missing or empty, so the recording cannot be downloaded");
        }

        return new PortSipRecordingDetail
        {
            Id = id,
            Caller = reader.Text("caller"),
            Callee = reader.Text("callee"),
            StartedAt = reader.OptionalTime("started_at"),
            EndedAt = reader.OptionalTime("ended_at"),
            Duration = reader.OptionalInt("duration"),
            FileName = reader.Text("file_name"),
            FileSize = reader.OptionalLong("file_size") ?? 0,
            FileUrl = fileUrl,
            Fields = reader.Fields(),
        };
    }

    private sealed class ItemReader(string kind, JsonElement item, string raw, string? knownId = null)
    {
        private string? _id = knownId;

        public PortSipDataException Problem(string field, string problem) => new(kind, _id, field, problem, raw);

        public string RequiredId()
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw Problem("(item)", $"is a JSON {item.ValueKind}, not an object");
            }

            var id = Scalar("id");
            if (string.IsNullOrWhiteSpace(id))
            {
                throw Problem("id", "is missing or empty");
            }

            _id = id;
            return id;
        }

        public string Text(string name) => Scalar(name) ?? string.Empty;

        public DateTimeOffset RequiredTime(string name) =>
            OptionalTime(name) ?? throw Problem(name, "is missing or empty");

        public DateTimeOffset? OptionalTime(string name)
        {
            var text = Scalar(name);
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            return PortSipTimestamp.TryParse(text, out var value)
                ? value
                : throw Problem(name, $"is not a timestamp: '{Truncate(text)}'");
        }

        public int? OptionalInt(string name)
        {
            var value = OptionalLong(name);
            return value is null ? null
                : value is >= int.MinValue and <= int.MaxValue ? (int)value
                : throw Problem(name, $"is out of range: {value}");
        }

        public long? OptionalLong(string name)
        {
            var text = Scalar(name);
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
            {
                return whole;
            }

            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number == decimal.Truncate(number)
                ? (long)number
                : throw Problem(name, $"is not a whole number: '{Truncate(text)}'");
        }

        public Dictionary<string, string?> Fields()
        {
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in item.EnumerateObject())
            {
                fields[property.Name] = AsText(property.Value);
            }

            return fields;
        }

        private string? Scalar(string name)
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(name, out var value))
            {
                return null;
            }

            return value.ValueKind is JsonValueKind.Object or JsonValueKind.Array
                ? throw Problem(name, $"is a JSON {value.ValueKind}, not a value")
                : AsText(value);
        }

        private static string? AsText(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => value.GetString(),
            _ => value.GetRawText(),
        };

        private static string Truncate(string text) => text.Length <= 64 ? text : text[..64] + "…";
    }
}
