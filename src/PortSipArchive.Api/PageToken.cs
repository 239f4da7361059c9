using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PortSipArchive.Api;

/// <summary>
/// The opaque <c>continuation</c>: the position in the query's fixed partition walk (segment index and the last RowKey
/// read there) and a hash of the normalized filters, base64url JSON. A token from another query, or one that does not
/// decode, is a 400 <c>invalid_continuation</c>; a decoded position only ever narrows the same, fully filtered query.
/// </summary>
public sealed record PageToken(
    [property: JsonPropertyName("h")] string FilterHash,
    [property: JsonPropertyName("i")] int Segment,
    [property: JsonPropertyName("k")] string? AfterRowKey)
{
    public const int MaxRowKeyLength = 1024;

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this, PageTokenJson.Default.PageToken));

    /// <summary>Decodes <paramref name="text"/> for the query whose filter hash is <paramref name="filterHash"/> and which walks <paramref name="segments"/> segments.</summary>
    public static PageToken? Decode(string? text, string filterHash, int segments)
    {
        if (text is null)
        {
            return null;
        }

        PageToken? token;
        try
        {
            token = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(text), PageTokenJson.Default.PageToken);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            throw Invalid("it does not decode.");
        }

        if (token is null || token.FilterHash != filterHash)
        {
            throw Invalid("it belongs to another query (follow nextLink with the same filters).");
        }

        if (token.Segment < 0 || token.Segment >= segments
            || token.AfterRowKey is { } key && (key.Length > MaxRowKeyLength || key.Any(char.IsControl)))
        {
            throw Invalid("it points outside this query.");
        }

        return token;
    }

    /// <summary>A short hash of the normalized filter set: every parameter but continuation, pageSize, format and code, sorted.</summary>
    public static string HashFilters(string route, IEnumerable<KeyValuePair<string, string>> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var text = new StringBuilder(route);
        foreach (var (name, value) in filters.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            text.Append('\n').Append(name).Append('=').Append(value);
        }

        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 12));
    }

    private static ApiException Invalid(string why) => new(400, "invalid_continuation", "Parameter 'continuation': " + why);
}

[JsonSerializable(typeof(PageToken))]
internal sealed partial class PageTokenJson : JsonSerializerContext;
