namespace PortSipArchive.Api;

/// <summary>The validated filters of <c>GET /api/cdrs</c>; <see cref="Parameters"/> is their canonical query string form.</summary>
public sealed record CdrFilter(
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<string> Sources,
    string? Source,
    string? Extension,
    string? Caller,
    string? Callee,
    string? Direction,
    bool? Answered,
    int? MinDuration)
{
    public const int DefaultDays = 1;
    public const int MaxDays = 366;

    public static readonly string[] Allowed =
        ["from", "to", "extension", "caller", "callee", "direction", "answered", "minDuration", "source", "pageSize", "format", "continuation"];

    public static CdrFilter Read(QueryReader query, DateTimeOffset now, Configuration.PortSipSettings settings)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (from, to) = query.Range(now, TimeSpan.FromDays(DefaultDays), MaxDays);
        var source = query.Text("source");
        return new CdrFilter(
            from, to, QueryRange.Sources(settings, source), source?.ToLowerInvariant(),
            query.Text("extension"), query.Text("caller"), query.Text("callee"), query.Text("direction"),
            query.Bool("answered"), query.Number("minDuration", 0, 100_000_000));
    }

    /// <summary>The number the cdrsbyext index is read for (extension, else caller, else callee), or null to read the day partitions.</summary>
    public string? IndexKey => Extension ?? Caller ?? Callee;

    public IEnumerable<KeyValuePair<string, string>> Parameters()
    {
        yield return new("from", QueryRange.Format(From));
        yield return new("to", QueryRange.Format(To));
        foreach (var (name, value) in new[]
                 {
                     ("source", Source), ("extension", Extension), ("caller", Caller), ("callee", Callee), ("direction", Direction),
                     ("answered", Answered is { } a ? (a ? "true" : "false") : null),
                     ("minDuration", MinDuration?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                 })
        {
            if (value is not null)
            {
                yield return new(name, value);
            }
        }
    }

    /// <summary>The client-side check every returned row passes, whatever the table query returned.</summary>
    public bool Matches(CdrItem cdr)
    {
        ArgumentNullException.ThrowIfNull(cdr);
        return cdr.StartedAt >= From && cdr.StartedAt < To
            && Sources.Contains(cdr.Source, StringComparer.Ordinal)
            && (Extension is null || cdr.Caller == Extension || cdr.Callee == Extension)
            && (Caller is null || cdr.Caller == Caller)
            && (Callee is null || cdr.Callee == Callee)
            && (Direction is null || cdr.Direction == Direction)
            && (Answered is null || cdr.Answered == Answered)
            && (MinDuration is null || cdr.Duration >= MinDuration);
    }
}
