namespace PortSip.Simulator;

/// <summary>What <see cref="CallGenerator"/> produces. The same options always give the same data.</summary>
public sealed class GenerationOptions
{
    public int Seed { get; set; } = 42;

    public int CallCount { get; set; } = 500;

    /// <summary>Calls start in [From, To). Fixed defaults keep generation deterministic.</summary>
    public DateTimeOffset From { get; set; } = new(2024, 8, 12, 0, 0, 0, TimeSpan.Zero);

    public DateTimeOffset To { get; set; } = new(2024, 8, 19, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Share of answered calls that have a recording.</summary>
    public double RecordedShare { get; set; } = 0.8;

    /// <summary>Byte size of a recording's download; the default gives a few KB to about 200 KB, deterministically.</summary>
    public Func<SimRecording, long>? RecordingSize { get; set; }

    /// <summary>Share of answered calls that last 1 to 8 hours.</summary>
    public double LongCallShare { get; set; } = 0.02;

    /// <summary>Share of calls that are not answered (busy, cancelled, no answer, timeout).</summary>
    public double MissedShare { get; set; } = 0.25;

    /// <summary>Share of recordings stored as MP3 rather than WAV.</summary>
    public double Mp3Share { get; set; } = 0.1;

    /// <summary>Share of recordings whose file name does not carry the CDR id.</summary>
    public double UnlinkedFileNameShare { get; set; } = 0.03;

    /// <summary>Share of recordings whose detail reports <c>file_size: 0</c>.</summary>
    public double ZeroReportedSizeShare { get; set; } = 1.0 / 3;

    /// <summary>The PBX's local offset used for the date and time in recording file names (the docs' sample is UTC+8).</summary>
    public TimeSpan FileNameUtcOffset { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Tenant SIP domain for extensions; null uses <see cref="SimulatorOptions.TenantDomain"/> (or the default domain).</summary>
    public string? TenantDomain { get; set; }

    /// <summary>A copy whose <see cref="TenantDomain"/> is <paramref name="tenantDomain"/> unless one is already set.</summary>
    internal GenerationOptions WithDefaultTenant(string tenantDomain)
    {
        var copy = (GenerationOptions)MemberwiseClone();
        copy.TenantDomain ??= tenantDomain;
        return copy;
    }
}
