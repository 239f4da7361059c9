using System.Text.Json.Nodes;

namespace PortSip.Simulator;

/// <summary>
/// One call recording. <paramref name="StartedAt"/> is the answer time (as PortSIP documents it);
/// <paramref name="Size"/> is the true byte count the download serves, while
/// <paramref name="ReportedFileSize"/> is what <c>file_size</c> says (0 on many PBXs).
/// The audio is generated on demand from <paramref name="Id"/>, never stored.
/// </summary>
public sealed record SimRecording(
    string Id,
    string CdrId,
    string Caller,
    string Callee,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    int Duration,
    string FileName,
    long Size,
    long ReportedFileSize,
    string BlobToken)
{
    public bool IsMp3 => FileName.EndsWith(".mp3", StringComparison.OrdinalIgnoreCase);

    /// <summary>audio/mpeg for .mp3 files, audio/wav otherwise.</summary>
    public string ContentType => IsMp3 ? "audio/mpeg" : "audio/wav";

    /// <summary>The relative download path the detail call returns in <c>file_url</c>.</summary>
    public string DownloadPath => "/api/blobs/" + BlobToken;

    /// <summary>The exact JSON object the PBX serves for this recording in <c>/api/recordings</c> lists.</summary>
    public JsonObject ToListJson() => new()
    {
        ["id"] = Id,
        ["caller"] = Caller,
        ["callee"] = Callee,
        ["started_at"] = PortSipTimestamp.Format(StartedAt),
        ["ended_at"] = PortSipTimestamp.Format(EndedAt),
    };

    /// <summary>The exact JSON object inside <c>items</c> of <c>/api/recordings/{id}</c>.</summary>
    public JsonObject ToDetailJson() => new()
    {
        ["caller"] = Caller,
        ["callee"] = Callee,
        ["started_at"] = PortSipTimestamp.Format(StartedAt),
        ["ended_at"] = PortSipTimestamp.Format(EndedAt),
        ["duration"] = Duration,
        ["file_name"] = FileName,
        ["file_size"] = ReportedFileSize,
        ["file_url"] = DownloadPath,
    };
}
