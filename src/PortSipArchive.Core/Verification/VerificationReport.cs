namespace PortSipArchive.Verification;

/// <summary>One difference between the PBX and the archive.</summary>
public sealed record VerificationFinding(string Source, string Kind, string Id, string Problem);

/// <summary>What <see cref="ArchiveVerifier"/> found for a range: complete only when nothing is missing, extra or different.</summary>
public sealed class VerificationReport
{
    private readonly List<VerificationFinding> _findings = [];

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public long CdrsAtPbx { get; set; }

    public long CdrsInArchive { get; set; }

    public long RecordingsAtPbx { get; set; }

    public long RecordingsVerified { get; set; }

    public IReadOnlyList<VerificationFinding> Findings => _findings;

    public bool IsComplete => _findings.Count == 0;

    public int Count(string kind) => _findings.Count(f => f.Kind == kind);

    internal void Add(string source, string kind, string id, string problem) => _findings.Add(new(source, kind, id, problem));
}

/// <summary>The kinds of <see cref="VerificationFinding"/>.</summary>
public static class FindingKind
{
    public const string CdrMissing = "cdr-missing";
    public const string CdrExtra = "cdr-extra";
    public const string CdrDifferent = "cdr-different";
    public const string RecordingNotArchived = "recording-not-archived";
    public const string RecordingBlobMissing = "recording-blob-missing";
    public const string RecordingBlobMismatch = "recording-blob-mismatch";
    public const string Unreadable = "pbx-item-unreadable";
}
