using System.Collections.Concurrent;

namespace PortSip.Simulator;

/// <summary>The endpoint kinds the simulator counts and that faults can target.</summary>
public static class EndpointKind
{
    /// <summary>sign_in, refresh_token, login/oauth/token (and revoke, sign_out).</summary>
    public const string Login = "login";

    /// <summary>GET /api/auth/user.</summary>
    public const string User = "user";

    /// <summary>GET|POST /api/cdrs.</summary>
    public const string Cdrs = "cdrs";

    /// <summary>GET|POST /api/recordings.</summary>
    public const string Recordings = "recordings";

    /// <summary>GET|POST /api/cdrs/{id} and /api/recordings/{id}.</summary>
    public const string Detail = "detail";

    /// <summary>GET /api/blobs/{token}.</summary>
    public const string Blob = "blob";

    /// <summary>POST /api/recordings/{id}/destroy.</summary>
    public const string Destroy = "destroy";

    /// <summary>Either list kind (cdrs or recordings); accepted where a fault targets lists.</summary>
    public const string List = "list";

    /// <summary>Anything else (unknown paths).</summary>
    public const string Other = "other";

    /// <summary>True when a fault armed for <paramref name="target"/> (null = every kind) applies to a request of <paramref name="kind"/>.</summary>
    public static bool Covers(string? target, string kind) =>
        target is null || target == kind || (target == List && kind is Cdrs or Recordings);
}

/// <summary>One request the simulator received. <see cref="Status"/> is 0 until the response starts.</summary>
public sealed class RequestRecord(string kind, string method, string pathAndQuery, bool hasAuthorization)
{
    private int _status;

    public string Kind { get; } = kind;
    public string Method { get; } = method;
    public string PathAndQuery { get; } = pathAndQuery;
    public bool HasAuthorization { get; } = hasAuthorization;

    public int Status
    {
        get => Volatile.Read(ref _status);
        internal set => Volatile.Write(ref _status, value);
    }

    public override string ToString() => $"{Method} {PathAndQuery} -> {Status}";
}

/// <summary>
/// Counts requests per endpoint kind, method and response status. Requests are counted when they arrive
/// and statuses when the response starts, so both are final by the time a client sees the response.
/// </summary>
public sealed class RequestCounters
{
    private const int MaxLogEntries = 100_000;

    private readonly ConcurrentDictionary<(string Kind, string Method), int> _byKind = new();
    private readonly ConcurrentDictionary<(string Kind, int Status), int> _byStatus = new();
    private readonly ConcurrentQueue<RequestRecord> _log = new();
    private int _total;

    /// <summary>All requests received.</summary>
    public int Total => Volatile.Read(ref _total);

    /// <summary>Requests of a kind (see <see cref="EndpointKind"/>), optionally only one HTTP method.</summary>
    public int Count(string kind, string? method = null) =>
        _byKind.Where(p => EndpointKind.Covers(kind, p.Key.Kind) && (method is null || string.Equals(p.Key.Method, method, StringComparison.OrdinalIgnoreCase)))
            .Sum(p => p.Value);

    /// <summary>Responses with a status, optionally only for one kind.</summary>
    public int CountStatus(int status, string? kind = null) =>
        _byStatus.Where(p => p.Key.Status == status && EndpointKind.Covers(kind, p.Key.Kind)).Sum(p => p.Value);

    /// <summary>The most recent requests (up to 100,000), oldest first.</summary>
    public IReadOnlyList<RequestRecord> Log() => [.. _log];

    public void Reset()
    {
        _byKind.Clear();
        _byStatus.Clear();
        _log.Clear();
        Volatile.Write(ref _total, 0);
    }

    internal RequestRecord RecordRequest(string kind, string method, string pathAndQuery, bool hasAuthorization)
    {
        Interlocked.Increment(ref _total);
        _byKind.AddOrUpdate((kind, method.ToUpperInvariant()), 1, (_, n) => n + 1);
        var record = new RequestRecord(kind, method.ToUpperInvariant(), pathAndQuery, hasAuthorization);
        _log.Enqueue(record);
        while (_log.Count > MaxLogEntries && _log.TryDequeue(out _))
        {
        }

        return record;
    }

    internal void RecordStatus(RequestRecord record, int status)
    {
        record.Status = status;
        _byStatus.AddOrUpdate((record.Kind, status), 1, (_, n) => n + 1);
    }
}
