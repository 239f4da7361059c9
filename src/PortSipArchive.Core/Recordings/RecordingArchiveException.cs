namespace PortSipArchive.Recordings;

/// <summary>An attempt to archive a recording that must not count as done (short or broken download, a blob that does not match).</summary>
public sealed class RecordingArchiveException : Exception
{
    public RecordingArchiveException()
    {
    }

    public RecordingArchiveException(string message)
        : base(message)
    {
    }

    public RecordingArchiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
