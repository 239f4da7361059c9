namespace PortSip.Simulator;

/// <summary>
/// Misbehaviours the PBX can be told to show, changeable while it runs (all members are thread-safe).
/// Counted faults ("the next N requests") are armed by calling the method of the same name; arming
/// again replaces the previous count. <see cref="Reset"/> returns everything to a well-behaved PBX.
/// </summary>
public sealed class FaultSwitches
{
    public const string MalformedDateValue = "not-a-date";
    public const string MalformedNumberValue = "abc";

    private readonly Lock _gate = new();
    private TimeSpan _tokenLifetime;
    private TimeSpan _refreshTokenLifetime;
    private TimeSpan _delay;
    private int _expiredTokenStatus;
    private string _malformedCdrField = "started_at";
    private volatile bool _refuseGet;
    private volatile bool _privateDownloads;
    private volatile bool _signInMissing;
    private volatile bool _authUserMissing;
    private volatile bool _refreshFails;
    private volatile bool _twoFactor;
    private CountedFault _throttle = CountedFault.None;
    private CountedFault _serverErrors = CountedFault.None;
    private CountedFault _dropConnection = CountedFault.None;
    private CountedFault _truncateBlobs = CountedFault.None;
    private CountedFault _malformedResponse = CountedFault.None;

    public FaultSwitches() => Reset();

    /// <summary>Lifetime of newly issued access tokens; <c>expires_in</c> reports it in seconds. Default 1800 s.</summary>
    public TimeSpan TokenLifetime { get => Read(ref _tokenLifetime); set => Write(ref _tokenLifetime, value); }

    /// <summary>Lifetime of refresh tokens (undocumented by PortSIP). Default 1 day.</summary>
    public TimeSpan RefreshTokenLifetime { get => Read(ref _refreshTokenLifetime); set => Write(ref _refreshTokenLifetime, value); }

    /// <summary>Status answered for an expired access token. Default 401.</summary>
    public int ExpiredTokenStatus { get => Read(ref _expiredTokenStatus); set => Write(ref _expiredTokenStatus, value); }

    /// <summary>Added before every response (slow answers). Default zero.</summary>
    public TimeSpan Delay { get => Read(ref _delay); set => Write(ref _delay, value); }

    /// <summary>CDR ids rendered with a bad <see cref="MalformedCdrField"/> in lists and detail.</summary>
    public FaultIdSet MalformedCdrIds { get; } = new();

    /// <summary>The field broken for <see cref="MalformedCdrIds"/>: a time field gets "not-a-date", a number field "abc". Default started_at.</summary>
    public string MalformedCdrField { get => Read(ref _malformedCdrField); set => Write(ref _malformedCdrField, value); }

    /// <summary>Recording ids whose detail, blob and destroy answer 404 although they are still listed.</summary>
    public FaultIdSet RecordingsGone { get; } = new();

    /// <summary>GET on list and detail endpoints answers 405; POST still works.</summary>
    public bool RefuseGet { get => _refuseGet; set => _refuseGet = value; }

    /// <summary>Blob downloads require the Bearer token (private recording links).</summary>
    public bool PrivateDownloads { get => _privateDownloads; set => _privateDownloads = value; }

    /// <summary>/api/auth/sign_in and /api/auth/refresh_token answer 404 (a PBX older than v22.2.11).</summary>
    public bool SignInMissing { get => _signInMissing; set => _signInMissing = value; }

    /// <summary>/api/auth/user answers 404.</summary>
    public bool AuthUserMissing { get => _authUserMissing; set => _authUserMissing = value; }

    /// <summary>Both refresh endpoints answer 400 UNKNOWN.</summary>
    public bool RefreshFails { get => _refreshFails; set => _refreshFails = value; }

    /// <summary>sign_in answers <c>{"two_factor_enabled":true,"token":"..."}</c> instead of tokens.</summary>
    public bool TwoFactor { get => _twoFactor; set => _twoFactor = value; }

    public int ThrottleRemaining => Remaining(ref _throttle);
    public int ServerErrorsRemaining => Remaining(ref _serverErrors);
    public int DropConnectionRemaining => Remaining(ref _dropConnection);
    public int TruncateBlobsRemaining => Remaining(ref _truncateBlobs);
    public int MalformedResponseRemaining => Remaining(ref _malformedResponse);

    /// <summary>The next <paramref name="count"/> requests (of <paramref name="kind"/>, or any) answer 429 with Retry-After (default 1 s).</summary>
    public void Throttle(int count, string? kind = null, TimeSpan? retryAfter = null) =>
        Arm(ref _throttle, count, kind, retryAfter ?? TimeSpan.FromSeconds(1), 429);

    /// <summary>The next <paramref name="count"/> requests (of <paramref name="kind"/>, or any) answer <paramref name="statusCode"/> (500 or 503); Retry-After is sent when given.</summary>
    public void ServerErrors(int count, int statusCode = 503, string? kind = null, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 500);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        Arm(ref _serverErrors, count, kind, retryAfter, statusCode);
    }

    /// <summary>The next <paramref name="count"/> responses of <paramref name="kind"/> ("list", "cdrs", "recordings" or "blob") write part of the body, then abort the connection.</summary>
    public void DropConnection(int count, string kind = EndpointKind.List)
    {
        if (kind is not (EndpointKind.List or EndpointKind.Cdrs or EndpointKind.Recordings or EndpointKind.Blob))
        {
            throw new ArgumentException("DropConnection applies to list, cdrs, recordings or blob.", nameof(kind));
        }

        Arm(ref _dropConnection, count, kind, null, 0);
    }

    /// <summary>The next <paramref name="count"/> blob downloads announce the full Content-Length but send only the first half, then abort.</summary>
    public void TruncateBlobs(int count) => Arm(ref _truncateBlobs, count, EndpointKind.Blob, null, 0);

    /// <summary>The next <paramref name="count"/> list responses (cdrs or recordings) are invalid JSON with status 200.</summary>
    public void MalformedResponse(int count) => Arm(ref _malformedResponse, count, EndpointKind.List, null, 0);

    /// <summary>Back to a well-behaved PBX: every switch off, every count zero, every set empty, defaults restored.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _tokenLifetime = TimeSpan.FromSeconds(1800);
            _refreshTokenLifetime = TimeSpan.FromDays(1);
            _expiredTokenStatus = 401;
            _delay = TimeSpan.Zero;
            _malformedCdrField = "started_at";
            _throttle = _serverErrors = _dropConnection = _truncateBlobs = _malformedResponse = CountedFault.None;
        }

        _refuseGet = _privateDownloads = _signInMissing = _authUserMissing = _refreshFails = _twoFactor = false;
        MalformedCdrIds.Clear();
        RecordingsGone.Clear();
    }

    internal bool TryTakeThrottle(string kind, out TimeSpan retryAfter)
    {
        bool taken = TryTake(ref _throttle, kind, out CountedFault fault);
        retryAfter = fault.RetryAfter ?? TimeSpan.Zero;
        return taken;
    }

    internal bool TryTakeServerError(string kind, out int statusCode, out TimeSpan? retryAfter)
    {
        bool taken = TryTake(ref _serverErrors, kind, out CountedFault fault);
        statusCode = fault.StatusCode;
        retryAfter = fault.RetryAfter;
        return taken;
    }

    internal bool TryTakeDropConnection(string kind) => TryTake(ref _dropConnection, kind, out _);

    internal bool TryTakeTruncateBlob() => TryTake(ref _truncateBlobs, EndpointKind.Blob, out _);

    internal bool TryTakeMalformedResponse(string kind) => TryTake(ref _malformedResponse, kind, out _);

    private void Arm(ref CountedFault fault, int count, string? kind, TimeSpan? retryAfter, int statusCode)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            fault = new CountedFault(count, kind, retryAfter, statusCode);
        }
    }

    private bool TryTake(ref CountedFault fault, string kind, out CountedFault taken)
    {
        lock (_gate)
        {
            taken = fault;
            if (fault.Remaining <= 0 || !EndpointKind.Covers(fault.Kind, kind))
            {
                return false;
            }

            fault = fault with { Remaining = fault.Remaining - 1 };
            return true;
        }
    }

    private int Remaining(ref CountedFault fault)
    {
        lock (_gate)
        {
            return fault.Remaining;
        }
    }

    private T Read<T>(ref T field)
    {
        lock (_gate)
        {
            return field;
        }
    }

    private void Write<T>(ref T field, T value)
    {
        lock (_gate)
        {
            field = value;
        }
    }

    private sealed record CountedFault(int Remaining, string? Kind, TimeSpan? RetryAfter, int StatusCode)
    {
        public static readonly CountedFault None = new(0, null, null, 0);
    }
}
