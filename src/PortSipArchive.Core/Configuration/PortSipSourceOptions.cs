namespace PortSipArchive.Configuration;

/// <summary>How the client logs in: <see cref="Auto"/> tries sign_in and falls back to the OAuth form on 404/405.</summary>
public enum LoginStyle
{
    Auto,
    SignIn,
    OAuth,
}

/// <summary>HTTP method for list and detail calls. The docs disagree; GET is the spec's, POST is the guide's.</summary>
public enum ListMethod
{
    Get,
    Post,
}

/// <summary>One PortSIP PBX (or one tenant of a hosted PBX) to archive. Every archived row carries <see cref="Name"/>.</summary>
public sealed class PortSipSourceOptions
{
    public required string Name { get; init; }

    public required Uri BaseUrl { get; init; }

    public required string Username { get; init; }

    /// <summary>The service account's password. Never logged; <see cref="ToString"/> leaves it out.</summary>
    public required string Password { get; init; }

    /// <summary>The tenant's SIP domain; empty for a system administrator.</summary>
    public string? TenantDomain { get; init; }

    public LoginStyle LoginStyle { get; init; } = LoginStyle.Auto;

    public ListMethod ListMethod { get; init; } = ListMethod.Get;

    /// <summary>Items per list page; PortSIP caps <c>top</c> at 100.</summary>
    public int PageSize { get; init; } = 100;

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public int MaxRetries { get; init; } = 5;

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    public override string ToString() =>
        $"{Name} ({BaseUrl}, user {Username}{(string.IsNullOrEmpty(TenantDomain) ? string.Empty : "@" + TenantDomain)}, {LoginStyle}, {ListMethod})";
}
