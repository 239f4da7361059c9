namespace PortSip.Simulator;

/// <summary>
/// PortSIP-style 64-bit ids: <c>(milliseconds since 2018-01-01T00:00:00Z) &lt;&lt; 22 | worker &lt;&lt; 12 | sequence</c>,
/// rendered as decimal strings. The official samples carry worker 1, which is kept here.
/// </summary>
public static class SnowflakeId
{
    public static readonly DateTimeOffset Epoch = new(2018, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const int Worker = 1;

    public static long Compose(DateTimeOffset at, int sequence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, 4095);
        long ms = (long)(at - Epoch).TotalMilliseconds;
        ArgumentOutOfRangeException.ThrowIfNegative(ms, nameof(at));
        return (ms << 22) | (Worker << 12) | (long)sequence;
    }

    /// <summary>The instant (millisecond precision) encoded in an id.</summary>
    public static DateTimeOffset TimeOf(long id) => Epoch.AddMilliseconds(id >> 22);
}

/// <summary>Hands out unique Snowflake ids, bumping the sequence when two ids share a millisecond.</summary>
internal sealed class SnowflakeMint
{
    private readonly HashSet<long> _issued = [];

    public string Next(DateTimeOffset at)
    {
        for (int sequence = 0; sequence < 4096; sequence++)
        {
            long id = SnowflakeId.Compose(at, sequence);
            if (_issued.Add(id))
            {
                return id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return Next(at.AddMilliseconds(1));
    }
}

/// <summary>Orders decimal id strings numerically (shorter is smaller, then ordinal).</summary>
public sealed class IdComparer : IComparer<string>
{
    public static readonly IdComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        int byLength = x.Length.CompareTo(y.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
    }
}
