namespace PortSip.Simulator;

/// <summary>Everything the endpoints share: data, accounts, tokens, faults, counters and the visibility rule.</summary>
internal sealed class PbxState
{
    public PbxState(SimulatorOptions options, PbxData data)
    {
        Data = data;
        Time = options.TimeProvider;
        VisibilityDelay = options.VisibilityDelay;
        Accounts = [.. options.Accounts];
        Tokens = new TokenStore(Time, Faults);
    }

    public PbxData Data { get; }
    public TimeProvider Time { get; }
    public TimeSpan VisibilityDelay { get; }
    public IReadOnlyList<SimAccount> Accounts { get; }
    public FaultSwitches Faults { get; } = new();
    public RequestCounters Requests { get; } = new();
    public TokenStore Tokens { get; }

    public SimAccount? FindAccount(string? username, string? password, string? domain)
    {
        string? wantedDomain = string.IsNullOrEmpty(domain) ? null : domain;
        return Accounts.FirstOrDefault(a =>
            string.Equals(a.Username, username, StringComparison.Ordinal)
            && string.Equals(a.Password, password, StringComparison.Ordinal)
            && string.Equals(a.Domain, wantedDomain, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A CDR is written when the call ends and shows up <see cref="VisibilityDelay"/> later.</summary>
    public bool IsVisible(SimCdr cdr, DateTimeOffset now) => cdr.EndedAt + VisibilityDelay <= now;

    /// <summary>A recording shows up together with its CDR (or, without one, after its own end plus the delay).</summary>
    public bool IsVisible(SimRecording recording, PbxData.Snapshot snapshot, DateTimeOffset now)
    {
        DateTimeOffset ended = snapshot.CdrsById.TryGetValue(recording.CdrId, out SimCdr? cdr) ? cdr.EndedAt : recording.EndedAt;
        return ended + VisibilityDelay <= now;
    }

    /// <summary>Whether <paramref name="account"/> gets <paramref name="cdr"/> in <c>/api/cdrs</c> lists now.</summary>
    public bool IsListed(SimCdr cdr, SimAccount account, DateTimeOffset now) =>
        IsVisible(cdr, now) && account.IsParty(cdr.Caller, cdr.Callee);

    /// <summary>Whether <paramref name="account"/> gets <paramref name="recording"/> in <c>/api/recordings</c> lists now.</summary>
    public bool IsListed(SimRecording recording, SimAccount account, PbxData.Snapshot snapshot, DateTimeOffset now) =>
        IsVisible(recording, snapshot, now) && account.IsParty(recording.Caller, recording.Callee);

    public IEnumerable<SimCdr> VisibleCdrs(SimAccount account, PbxData.Snapshot snapshot, DateTimeOffset now) =>
        snapshot.Cdrs.Where(c => IsListed(c, account, now));

    public IEnumerable<SimRecording> VisibleRecordings(SimAccount account, PbxData.Snapshot snapshot, DateTimeOffset now) =>
        snapshot.Recordings.Where(r => IsListed(r, account, snapshot, now));
}
