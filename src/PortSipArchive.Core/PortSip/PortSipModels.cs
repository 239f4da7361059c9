namespace PortSipArchive.PortSip;

/// <summary>
/// A CDR as PortSIP returned it. <see cref="Fields"/> holds every field under its PortSIP name with its
/// original value as text (strings unquoted, numbers as written, objects as JSON), so nothing the PBX
/// sends is lost, including fields newer versions add. The typed properties are parsed from it.
/// </summary>
public sealed class PortSipCdr
{
    public required string Id { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? RangAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string Caller { get; init; } = string.Empty;

    public string Callee { get; init; } = string.Empty;

    /// <summary>Kept as PortSIP's string (values vary by version).</summary>
    public string Direction { get; init; } = string.Empty;

    /// <summary>Talk time in seconds.</summary>
    public int Duration { get; init; }

    public required IReadOnlyDictionary<string, string?> Fields { get; init; }

    public required string RawJson { get; init; }

    public bool IsAnswered => AnsweredAt is not null;
}

/// <summary>A recording as the list call returns it (a summary: id, parties and times).</summary>
public sealed class PortSipRecordingSummary
{
    public required string Id { get; init; }

    public string Caller { get; init; } = string.Empty;

    public string Callee { get; init; } = string.Empty;

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public required IReadOnlyDictionary<string, string?> Fields { get; init; }
}

/// <summary>The recording detail: where to download it, how big PortSIP says it is (0 = unknown) and its file name.</summary>
public sealed class PortSipRecordingDetail
{
    public required string Id { get; init; }

    public string Caller { get; init; } = string.Empty;

    public string Callee { get; init; } = string.Empty;

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public int? Duration { get; init; }

    public required string FileName { get; init; }

    /// <summary><c>file_size</c>; PortSIP often reports 0, which means "unknown".</summary>
    public long FileSize { get; init; }

    /// <summary>The PBX's download link. It never leaves the product: not in rows, logs or API answers.</summary>
    public required string FileUrl { get; init; }

    /// <summary>The CDR id carried by the file name (second '_' token), when it has one.</summary>
    public string? CdrIdFromFileName => RecordingFileName.TryGetCdrId(FileName);

    public required IReadOnlyDictionary<string, string?> Fields { get; init; }
}

/// <summary>An open download: the body is streamed, never buffered whole. Dispose it to release the connection.</summary>
public sealed class PortSipDownload : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;

    internal PortSipDownload(HttpResponseMessage response, Stream content)
    {
        _response = response;
        Content = content;
    }

    public Stream Content { get; }

    public long? ContentLength => _response.Content.Headers.ContentLength;

    public string? ContentType => _response.Content.Headers.ContentType?.MediaType;

    public async ValueTask DisposeAsync()
    {
        await Content.DisposeAsync();
        _response.Dispose();
    }
}

/// <summary>What the service account can see. Only a tenant-wide account archives every call.</summary>
public sealed record AccountReach(string? Role, bool? IsTenantWide, string Summary)
{
    public static readonly IReadOnlySet<string> TenantWideRoles =
        new HashSet<string>(["Admin", "QueueManager", "SystemAdmin", "Replicator"], StringComparer.OrdinalIgnoreCase);
}
