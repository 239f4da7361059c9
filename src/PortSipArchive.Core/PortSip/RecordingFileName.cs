namespace PortSipArchive.PortSip;

/// <summary>
/// PortSIP names recording files <c>&lt;recordingId&gt;_&lt;cdrId&gt;_&lt;caller&gt;_…_&lt;MMddyyyy&gt;_&lt;HHmmss&gt;.wav</c>.
/// This is undocumented, so the CDR id is only taken when the second token looks like a PortSIP id.
/// </summary>
public static class RecordingFileName
{
    public static string? TryGetCdrId(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return null;
        }

        var stem = Path.GetFileNameWithoutExtension(fileName);
        var parts = stem.Split('_');
        if (parts.Length < 3)
        {
            return null;
        }

        var candidate = parts[1];
        return candidate.Length is >= 15 and <= 20 && candidate.All(char.IsAsciiDigit) ? candidate : null;
    }

    /// <summary>The lower-case extension without the dot ("wav" when the name has none).</summary>
    public static string Extension(string? fileName)
    {
        var ext = Path.GetExtension(fileName ?? string.Empty).TrimStart('.').ToLowerInvariant();
        return ext.Length is > 0 and <= 8 && ext.All(char.IsAsciiLetterOrDigit) ? ext : "wav";
    }

    public static string ContentType(string extension) => extension switch
    {
        "wav" => "audio/wav",
        "mp3" => "audio/mpeg",
        "ogg" or "oga" => "audio/ogg",
        "opus" => "audio/opus",
        "m4a" => "audio/mp4",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "gsm" => "audio/x-gsm",
        _ => "application/octet-stream",
    };
}
