using System.Text.Json;

namespace PortSipArchive.PortSip;

/// <summary>PortSIP's error envelope <c>{"errors":[{"code","message"}]}</c>; codes are only ever added, so unknown ones are kept as text.</summary>
public sealed record PortSipError(string Code, string Message);

public sealed class PortSipErrorBody
{
    private PortSipErrorBody(IReadOnlyList<PortSipError> errors)
    {
        Errors = errors;
    }

    public IReadOnlyList<PortSipError> Errors { get; }

    public bool HasCode(string code) => Errors.Any(e => string.Equals(e.Code, code, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses an error body; an empty or unexpected body (the docs show <c>{}</c>) yields null.</summary>
    public static PortSipErrorBody? TryParse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("errors", out var list)
                || list.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var errors = new List<PortSipError>();
            foreach (var item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                errors.Add(new PortSipError(Text(item, "code") ?? "UNKNOWN", Text(item, "message") ?? string.Empty));
            }

            return new PortSipErrorBody(errors);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override string ToString() => string.Join("; ", Errors.Select(e => $"{e.Code} {e.Message}".Trim()));

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
