using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PortSipArchive.Configuration;

namespace PortSipArchive.PortSip;

/// <summary>
/// The PortSIP REST client for one source: lists CDRs and recordings for a time window, reads recording
/// details, streams downloads, and deletes recordings. Retries, backoff and timeouts come from the resilience
/// pipeline of the <see cref="HttpClient"/> it is given; this class handles the protocol: login and tokens,
/// one re-login after a 401, the GET→POST fallback on 405, paging and tolerant parsing.
/// </summary>
public sealed partial class PortSipClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly PortSipSourceOptions _options;
    private readonly PortSipEndpoints _endpoints;
    private readonly PortSipTokenProvider _tokens;
    private readonly ILogger _logger;
    private ListMethod _listMethod;
    private AccountReach? _reach;

    public PortSipClient(HttpClient http, PortSipSourceOptions options, TimeProvider time, ILogger<PortSipClient> logger)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _logger = logger;
        _endpoints = new PortSipEndpoints(options.BaseUrl);
        _tokens = new PortSipTokenProvider(http, options, _endpoints, time, logger);
        _listMethod = options.ListMethod;
    }

    public string SourceName => _options.Name;

    /// <summary>The list method in use: the configured one, or POST after the PBX refused GET with 405.</summary>
    public ListMethod EffectiveListMethod => _listMethod;

    public LoginStyle? EffectiveLoginStyle => _tokens.ResolvedStyle;

    /// <summary>Full logins so far (for diagnostics and tests).</summary>
    public int LoginCount => _tokens.LoginCount;

    private int _requestCount;

    /// <summary>HTTP requests sent by this client, retries by the resilience pipeline not included (thread-safe: the sync lists CDRs and recordings at once).</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>
    /// What the account can see (<c>GET /api/auth/user</c>). Only Admin, Queue Manager or a system admin see the
    /// whole tenant; for anything else a warning is logged, and the summary says so for the sync to report.
    /// </summary>
    public async Task<AccountReach> GetAccountReachAsync(CancellationToken cancellationToken)
    {
        if (_reach is not null)
        {
            return _reach;
        }

        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, _endpoints.User), "read the account (auth/user)", allowNotFound: true, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            _reach = new AccountReach(null, null, $"This PBX has no /api/auth/user, so the reach of '{_options.Username}' cannot be checked; it must be a tenant Admin or Queue Manager to archive every call.");
            LogReachUnknown(_logger, _options.Name, _options.Username);
            return _reach;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var doc = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        var role = doc.RootElement.ValueKind == JsonValueKind.Object
            && doc.RootElement.TryGetProperty("role", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        role ??= doc.RootElement.TryGetProperty("role_name", out var rn) && rn.ValueKind == JsonValueKind.String ? rn.GetString() : null;
        var wide = role is not null && AccountReach.TenantWideRoles.Contains(role.Replace(" ", string.Empty, StringComparison.Ordinal));
        _reach = wide
            ? new AccountReach(role, true, $"'{_options.Username}' is {role}: sees the whole tenant.")
            : new AccountReach(role, false, $"'{_options.Username}' has role '{role ?? "unknown"}', which sees only its own calls: the archive will hold that user's calls only. Use a tenant Admin or Queue Manager account.");
        if (!wide)
        {
            LogNotTenantWide(_logger, _options.Name, _options.Username, role ?? "unknown");
        }

        return _reach;
    }

    /// <summary>CDRs with <c>started_at</c> in [from, to), oldest first, paged to the end.</summary>
    public IAsyncEnumerable<ParsedItem<PortSipCdr>> ListCdrsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ListAsync("cdrs", "CDR", from, to, PortSipItemParser.Cdr, cancellationToken);

    /// <summary>Recordings with <c>started_at</c> in [from, to), oldest first, paged to the end.</summary>
    public IAsyncEnumerable<ParsedItem<PortSipRecordingSummary>> ListRecordingsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ListAsync("recordings", "recording", from, to, PortSipItemParser.RecordingSummary, cancellationToken);

    /// <summary>The recording's detail, or null when the PBX no longer has it (404).</summary>
    public async Task<PortSipRecordingDetail?> GetRecordingDetailAsync(string recordingId, CancellationToken cancellationToken)
    {
        using var doc = await GetJsonAsync(_endpoints.Api("recordings/" + Uri.EscapeDataString(recordingId)), "read recording " + recordingId, allowNotFound: true, cancellationToken);
        if (doc is null)
        {
            return null;
        }

        var item = SingleItem(doc.RootElement);
        return item is null
            ? throw new PortSipDataException("recording", recordingId, "items", "is missing or empty in the detail answer", doc.RootElement.GetRawText())
            : PortSipItemParser.RecordingDetail(recordingId, item.Value);
    }

    /// <summary>One CDR with its detail-only fields (cost, billed_account), or null when unknown.</summary>
    public async Task<ParsedItem<PortSipCdr>?> GetCdrAsync(string cdrId, CancellationToken cancellationToken)
    {
        using var doc = await GetJsonAsync(_endpoints.Api("cdrs/" + Uri.EscapeDataString(cdrId)), "read CDR " + cdrId, allowNotFound: true, cancellationToken);
        var item = doc is null ? null : SingleItem(doc.RootElement);
        return item is null ? null : PortSipItemParser.Cdr(item.Value);
    }

    /// <summary>
    /// Opens the recording's download as a stream (nothing buffered). The Bearer token is sent when the link is on
    /// the PBX itself (newer PBXs require it). Returns null when the file is gone (404).
    /// </summary>
    public async Task<PortSipDownload?> OpenDownloadAsync(PortSipRecordingDetail detail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(detail);
        var (url, sameOrigin) = _endpoints.Download(detail.FileUrl);
        var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, url), "download recording " + detail.Id, allowNotFound: true, cancellationToken, authenticate: sameOrigin);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }

        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new PortSipDownload(response, stream);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Deletes the recording on the PBX (<c>POST /api/recordings/{id}/destroy</c>); a 404 counts as done.</summary>
    public async Task DestroyRecordingAsync(string recordingId, CancellationToken cancellationToken)
    {
        var url = _endpoints.Api("recordings/" + Uri.EscapeDataString(recordingId) + "/destroy");
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, url) { Content = EmptyJson() }, "delete recording " + recordingId, allowNotFound: true, cancellationToken);
    }

    public void Dispose() => _tokens.Dispose();

    private async IAsyncEnumerable<ParsedItem<T>> ListAsync<T>(
        string path, string kind, DateTimeOffset from, DateTimeOffset to,
        Func<JsonElement, ParsedItem<T>> parse, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        var filter = $"started_at ge '{PortSipTimestamp.Format(from)}' and started_at lt '{PortSipTimestamp.Format(to)}'";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long skip = 0;
        long? previousCount = null;
        var restarts = 0;
        while (true)
        {
            var query = $"filter={Uri.EscapeDataString(filter)}&orderby={Uri.EscapeDataString("started_at asc")}&top={_options.PageSize}&skip={skip}&count=true";
            using var doc = await GetJsonAsync(_endpoints.Api(path + "?" + query), $"list {path}", allowNotFound: false, cancellationToken)
                ?? throw new PortSipApiException(_options.Name, $"list {path}", HttpStatusCode.NotFound, null);
            var (count, items) = ReadEnvelope(doc.RootElement, path);

            // Items that vanish while we page (retention, another deletion) shift later items onto pages we
            // already read. Start over when the total shrinks; ids already yielded are skipped.
            if (count is not null && previousCount is not null && count < previousCount && restarts < 3)
            {
                restarts++;
                LogListShrank(_logger, _options.Name, path, previousCount.Value, count.Value);
                previousCount = count;
                skip = 0;
                continue;
            }

            previousCount = count;
            foreach (var element in items)
            {
                var parsed = parse(element);
                if (parsed.Id is not null && !seen.Add(parsed.Id))
                {
                    continue;
                }

                if (parsed.IsValid)
                {
                    yield return parsed;
                }
                else
                {
                    LogBadItem(_logger, _options.Name, kind, parsed.Id ?? "(none)", parsed.Error!.Field, parsed.Error.Message);
                    yield return parsed;
                }
            }

            skip += items.Count;
            if (items.Count == 0 || (count is not null && skip >= count))
            {
                yield break;
            }
        }
    }

    private (long? Count, List<JsonElement> Items) ReadEnvelope(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new PortSipApiException(_options.Name, $"list {path}", HttpStatusCode.OK, null, "The answer has no 'items' array.");
        }

        long? count = null;
        if (root.TryGetProperty("count", out var c))
        {
            if (c.ValueKind == JsonValueKind.Number && c.TryGetInt64(out var n))
            {
                count = n;
            }
            else if (c.ValueKind == JsonValueKind.String && long.TryParse(c.GetString(), out var s))
            {
                count = s;
            }
        }

        return (count, items.EnumerateArray().ToList());
    }

    private static JsonElement? SingleItem(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (root.TryGetProperty("items", out var items))
        {
            return items.ValueKind switch
            {
                JsonValueKind.Array when items.GetArrayLength() > 0 => items[0],
                JsonValueKind.Object => items,
                _ => null,
            };
        }

        return root.TryGetProperty("id", out _) || root.TryGetProperty("file_url", out _) ? root : null;
    }

    private async Task<JsonDocument?> GetJsonAsync(Uri url, string operation, bool allowNotFound, CancellationToken cancellationToken)
    {
        using var response = await SendListOrDetailAsync(url, operation, allowNotFound, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new PortSipApiException(_options.Name, operation, response.StatusCode, null, "The answer is not valid JSON: " + ex.Message, ex);
        }
    }

    private async Task<HttpResponseMessage> SendListOrDetailAsync(Uri url, string operation, bool allowNotFound, CancellationToken cancellationToken)
    {
        var method = _listMethod;
        var response = await SendAsync(() => ListRequest(method, url), operation, allowNotFound, cancellationToken, allowMethodNotAllowed: method == ListMethod.Get);
        if (response.StatusCode == HttpStatusCode.MethodNotAllowed)
        {
            response.Dispose();
            LogPostFallback(_logger, _options.Name);
            _listMethod = ListMethod.Post;
            response = await SendAsync(() => ListRequest(ListMethod.Post, url), operation, allowNotFound, cancellationToken);
        }

        return response;
    }

    private static HttpRequestMessage ListRequest(ListMethod method, Uri url) =>
        method == ListMethod.Post
            ? new HttpRequestMessage(HttpMethod.Post, url) { Content = EmptyJson() }
            : new HttpRequestMessage(HttpMethod.Get, url);

    private static StringContent EmptyJson() => new("{}", Encoding.UTF8, "application/json");

    /// <summary>Sends with the Bearer token; after a 401 (or a 400 UNAUTHORIZED) logs in again once and retries once.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        Func<HttpRequestMessage> create, string operation, bool allowNotFound, CancellationToken cancellationToken,
        bool authenticate = true, bool allowMethodNotAllowed = false)
    {
        string? token = authenticate ? await _tokens.GetTokenAsync(cancellationToken) : null;
        for (var attempt = 0; ; attempt++)
        {
            using var request = create();
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            Interlocked.Increment(ref _requestCount);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.IsSuccessStatusCode
                || (allowNotFound && response.StatusCode == HttpStatusCode.NotFound)
                || (allowMethodNotAllowed && response.StatusCode == HttpStatusCode.MethodNotAllowed))
            {
                return response;
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                var errors = PortSipErrorBody.TryParse(body);
                var refused = response.StatusCode == HttpStatusCode.Unauthorized
                    || (response.StatusCode == HttpStatusCode.BadRequest && errors?.HasCode("UNAUTHORIZED") == true);
                if (refused && attempt == 0)
                {
                    token = await _tokens.RenewAsync(token ?? string.Empty, cancellationToken);
                    continue;
                }

                throw new PortSipApiException(_options.Name, operation, response.StatusCode, errors);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PortSIP source {Source}: the account {User} has role {Role}, which sees only its own calls; the archive will hold that user's calls only. Use a tenant Admin or Queue Manager account")]
    private static partial void LogNotTenantWide(ILogger logger, string source, string user, string role);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PortSIP source {Source}: cannot check the reach of account {User} (no /api/auth/user); it must be a tenant Admin or Queue Manager to archive every call")]
    private static partial void LogReachUnknown(ILogger logger, string source, string user);

    [LoggerMessage(Level = LogLevel.Information, Message = "PortSIP source {Source}: GET refused with 405; using POST for lists and details")]
    private static partial void LogPostFallback(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PortSIP source {Source}: {Kind} {ItemId} cannot be read (field {Field}): {Problem}")]
    private static partial void LogBadItem(ILogger logger, string source, string kind, string itemId, string field, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "PortSIP source {Source}: the {Path} total fell from {Before} to {After} while paging; reading the window again")]
    private static partial void LogListShrank(ILogger logger, string source, string path, long before, long after);
}
