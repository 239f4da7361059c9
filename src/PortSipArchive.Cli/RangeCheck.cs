namespace PortSipArchive.Cli;

internal static class RangeCheck
{
    /// <summary>PortSIP answers CDR queries for at most 5 years (v22.5).</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(5 * 366);

    public static void Validate(DateTimeOffset from, DateTimeOffset to)
    {
        if (from >= to)
        {
            throw new ArgumentException($"--from ({from:u}) must be before --to ({to:u}).");
        }

        if (to - from > MaxRange)
        {
            throw new ArgumentException("The range is longer than 5 years, which PortSIP does not answer; split it.");
        }
    }
}
