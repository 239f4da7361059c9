using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace PortSip.Simulator;

/// <summary>What a token check found.</summary>
internal enum TokenState
{
    Missing,
    Unknown,
    Expired,
    Valid,
}

/// <summary>A freshly issued token pair and its lifetime in whole seconds.</summary>
internal sealed record IssuedTokens(string AccessToken, string RefreshToken, int ExpiresIn);

/// <summary>
/// Opaque access and refresh tokens with expiry measured on the PBX clock. Refresh tokens stay valid
/// until they expire (their lifetime is undocumented by PortSIP; see <see cref="FaultSwitches.RefreshTokenLifetime"/>).
/// </summary>
internal sealed class TokenStore(TimeProvider time, FaultSwitches faults)
{
    private readonly ConcurrentDictionary<string, Grant> _access = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Grant> _refresh = new(StringComparer.Ordinal);

    public IssuedTokens Issue(SimAccount account)
    {
        DateTimeOffset now = time.GetUtcNow();
        TimeSpan lifetime = faults.TokenLifetime;
        string access = NewToken();
        string refresh = NewToken();
        _access[access] = new Grant(account, now + lifetime);
        _refresh[refresh] = new Grant(account, now + faults.RefreshTokenLifetime);
        return new IssuedTokens(access, refresh, (int)Math.Ceiling(lifetime.TotalSeconds));
    }

    /// <summary>A random token for the two-factor challenge (never usable as an access token).</summary>
    public static string NewChallengeToken() => NewToken();

    public TokenState Check(string? accessToken, out SimAccount? account)
    {
        account = null;
        if (string.IsNullOrEmpty(accessToken))
        {
            return TokenState.Missing;
        }

        if (!_access.TryGetValue(accessToken, out Grant? grant))
        {
            return TokenState.Unknown;
        }

        if (time.GetUtcNow() >= grant.ExpiresAt)
        {
            return TokenState.Expired;
        }

        account = grant.Account;
        return TokenState.Valid;
    }

    /// <summary>The account a refresh token belongs to, or null if it is unknown or expired.</summary>
    public SimAccount? Redeem(string? refreshToken)
    {
        if (string.IsNullOrEmpty(refreshToken) || !_refresh.TryGetValue(refreshToken, out Grant? grant))
        {
            return null;
        }

        return time.GetUtcNow() < grant.ExpiresAt ? grant.Account : null;
    }

    public void Revoke(string accessToken) => _access.TryRemove(accessToken, out _);

    /// <summary>Forgets every token, as a PBX restart would: the next call with an old token gets 401.</summary>
    public void RevokeAll()
    {
        _access.Clear();
        _refresh.Clear();
    }

    private static string NewToken()
    {
        Span<byte> bytes = stackalloc byte[24];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    private sealed record Grant(SimAccount Account, DateTimeOffset ExpiresAt);
}
