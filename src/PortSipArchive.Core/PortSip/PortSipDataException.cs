namespace PortSipArchive.PortSip;

/// <summary>
/// An item PortSIP returned that cannot be read even by the tolerant parser. Names the item's id (when it has one)
/// and the field, and keeps the raw JSON so that nothing is silently dropped.
/// </summary>
public sealed class PortSipDataException : Exception
{
    public PortSipDataException(string kind, string? itemId, string field, string problem, string rawJson)
        : base($"PortSIP {kind} {(itemId is null ? "without an id" : "'" + itemId + "'")}: field '{field}' {problem}")
    {
        Kind = kind;
        ItemId = itemId;
        Field = field;
        RawJson = rawJson;
    }

    public PortSipDataException()
    {
        Kind = Field = RawJson = string.Empty;
    }

    public PortSipDataException(string message) : base(message)
    {
        Kind = Field = RawJson = string.Empty;
    }

    public PortSipDataException(string message, Exception innerException) : base(message, innerException)
    {
        Kind = Field = RawJson = string.Empty;
    }

    public string Kind { get; }

    public string? ItemId { get; }

    public string Field { get; }

    public string RawJson { get; }
}

/// <summary>One list item: either parsed, or the reason it could not be (with its raw JSON).</summary>
public sealed class ParsedItem<T>
    where T : class
{
    private readonly T? _value;

    private ParsedItem(T? value, PortSipDataException? error, string? id)
    {
        _value = value;
        Error = error;
        Id = id;
    }

    public string? Id { get; }

    public PortSipDataException? Error { get; }

    public bool IsValid => Error is null;

    /// <summary>The parsed item; throws the <see cref="PortSipDataException"/> when it could not be parsed.</summary>
    public T Value => _value ?? throw Error!;

    internal ParsedItem(T value, string id) : this(value, null, id)
    {
    }

    internal ParsedItem(PortSipDataException error) : this(null, error, error.ItemId)
    {
    }
}
