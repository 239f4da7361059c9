using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PortSipArchive.Configuration;

namespace PortSipArchive.PortSip;

/// <summary>
/// Logs in to one PortSIP source and keeps its token: reused until 80% of <c>expires_in</c>, then refreshed
/// with the refresh token, and renewed by a full login when the refresh fails or a call answers 401.
/// Supports both documented logins; <see cref="LoginStyle.Auto"/> tries sign_in and falls back to the OAuth
/// form when sign_in answers 404 or 405.
/// </summary>
internal sealed partial class PortSipTokenProvider : IDisposable
{
    /// <summary>The fixed client id of PortSIP's OAuth-style token endpoint (the same for every PBX).</summary>
    public const string OAuthClientId = "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a";

    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(1800);
    private readonly HttpClient _http;
    private readonly PortSipSourceOptions _options;
    private readonly PortSipEndpoints _endpoints;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private LoginStyle? _resolvedStyle;
    private Token? _token;

    public PortSipTokenProvider(HttpClient http, PortSipSourceOptions options, PortSipEndpoints endpoints, TimeProvider time, ILogger logger)
    {
        _http = http;
        _options = options;
        _endpoints = endpoints;
        _time = time;
        _logger = logger;
        _resolvedStyle = options.LoginStyle == LoginStyle.Auto ? null : options.LoginStyle;
    }

    /// <summary>The login style in use once known (Auto resolves on the first login).</summary>
    public LoginStyle? ResolvedStyle => _resolvedStyle;

    /// <summary>Number of full logins done (refreshes not counted).</summary>
    public int LoginCount { get; private set; }

    public async Task<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        var token = _token;
        if (token is not null && _time.GetUtcNow() < token.RefreshAt)
        {
            return token.AccessToken;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            token = _token;
            var now = _time.GetUtcNow();
            if (token is not null && now < token.RefreshAt)
            {
                return token.AccessToken;
            }

            if (token?.RefreshToken is { Length: > 0 } refreshToken)
            {
                _token = await TryRefreshAsync(refreshToken, cancellationToken);
            }

            _token ??= await LoginAsync(cancellationToken);
            return _token.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A call was refused with this token: log in again (once per rejected token) and return the new one.</summary>
    public async Task<string> RenewAsync(string rejectedToken, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is not null && _token.AccessToken != rejectedToken)
            {
                return _token.AccessToken;
            }

            LogTokenRejected(_logger, _options.Name);
            _token = null;
            _token = await LoginAsync(cancellationToken);
            return _token.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<Token> LoginAsync(CancellationToken cancellationToken)
    {
        var style = _resolvedStyle ?? LoginStyle.SignIn;
        using var response = await SendLoginAsync(style, cancellationToken);
        if (_resolvedStyle is null && response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            LogSignInUnavailable(_logger, _options.Name, (int)response.StatusCode);
            _resolvedStyle = LoginStyle.OAuth;
            using var fallback = await SendLoginAsync(LoginStyle.OAuth, cancellationToken);
            return await ReadTokenAsync(fallback, "login (OAuth token endpoint)", cancellationToken);
        }

        var token = await ReadTokenAsync(response, style == LoginStyle.SignIn ? "login (sign_in)" : "login (OAuth token endpoint)", cancellationToken);
        _resolvedStyle ??= style;
        return token;
    }

    private async Task<HttpResponseMessage> SendLoginAsync(LoginStyle style, CancellationToken cancellationToken)
    {
        LoginCount++;
        using var request = new HttpRequestMessage(HttpMethod.Post, style == LoginStyle.OAuth ? _endpoints.OAuthToken : _endpoints.SignIn)
        {
            Content = style == LoginStyle.OAuth ? OAuthLoginForm() : SignInBody(),
        };
        return await _http.SendAsync(request, cancellationToken);
    }

    private FormUrlEncodedContent OAuthLoginForm()
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "password"),
            new("username", _options.Username),
            new("password", _options.Password),
            new("scope", "all"),
            new("client_id", OAuthClientId),
        };
        if (!string.IsNullOrEmpty(_options.TenantDomain))
        {
            form.Add(new("domain", _options.TenantDomain));
        }

        return new FormUrlEncodedContent(form);
    }

    private JsonContent SignInBody()
    {
        var body = new Dictionary<string, string> { ["username"] = _options.Username, ["password"] = _options.Password };
        if (!string.IsNullOrEmpty(_options.TenantDomain))
        {
            body["domain"] = _options.TenantDomain;
        }

        return JsonContent.Create(body);
    }

    private async Task<Token?> TryRefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        HttpRequestMessage request = _resolvedStyle == LoginStyle.OAuth
            ? new HttpRequestMessage(HttpMethod.Post, _endpoints.OAuthToken)
            {
                Content = new FormUrlEncodedContent(
                [
                    new("grant_type", "refresh_token"),
                    new("refresh_token", refreshToken),
                    new("client_id", OAuthClientId),
                ]),
            }
            : new HttpRequestMessage(HttpMethod.Post, _endpoints.RefreshToken)
            {
                Content = JsonContent.Create(new Dictionary<string, string> { ["refresh_token"] = refreshToken }),
            };
        try
        {
            using (request)
            {
                using var response = await _http.SendAsync(request, cancellationToken);
                return await ReadTokenAsync(response, "token refresh", cancellationToken);
            }
        }
        catch (PortSipApiException ex)
        {
            LogRefreshFailed(_logger, _options.Name, ex.Message);
            return null;
        }
    }

    private async Task<Token> ReadTokenAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new PortSipAuthenticationException(_options.Name, operation, response.StatusCode, PortSipErrorBody.TryParse(body),
                $"Check PortSip__Username, PortSip__Password and PortSip__TenantDomain for source '{_options.Name}' (user '{_options.Username}').");
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.TryGetProperty("two_factor_enabled", out var twoFactor) && twoFactor.ValueKind == JsonValueKind.True)
            {
                throw new PortSipAuthenticationException(_options.Name, operation, response.StatusCode, null,
                    $"The account '{_options.Username}' has two-factor authentication on, which an unattended archive cannot complete. " +
                    "Use a dedicated service account (tenant Admin) with two-factor authentication off.");
            }

            var access = root.TryGetProperty("access_token", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (string.IsNullOrEmpty(access))
            {
                throw new PortSipAuthenticationException(_options.Name, operation, response.StatusCode, null, "The answer has no access_token.");
            }

            var refresh = root.TryGetProperty("refresh_token", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            var lifetime = ReadLifetime(root);
            var now = _time.GetUtcNow();
            return new Token(access, refresh, now + (lifetime * 0.8));
        }
        catch (JsonException ex)
        {
            throw new PortSipAuthenticationException(_options.Name, operation, response.StatusCode, null, "The answer is not JSON: " + ex.Message);
        }
    }

    private static TimeSpan ReadLifetime(JsonElement root)
    {
        if (root.TryGetProperty("expires_in", out var e))
        {
            if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var seconds) && seconds > 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (e.ValueKind == JsonValueKind.String && double.TryParse(e.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var text) && text > 0)
            {
                return TimeSpan.FromSeconds(text);
            }
        }

        return DefaultLifetime;
    }

    private sealed record Token(string AccessToken, string? RefreshToken, DateTimeOffset RefreshAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "PortSIP source {Source}: sign_in answered {Status}; using the OAuth token endpoint")]
    private static partial void LogSignInUnavailable(ILogger logger, string source, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PortSIP source {Source}: token refresh failed ({Reason}); logging in again")]
    private static partial void LogRefreshFailed(ILogger logger, string source, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "PortSIP source {Source}: the token was refused; logging in again")]
    private static partial void LogTokenRejected(ILogger logger, string source);
}
