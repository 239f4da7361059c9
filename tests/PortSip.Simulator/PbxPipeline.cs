using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace PortSip.Simulator;

/// <summary>
/// The single request handler of the simulated PBX: counts the request, applies the request-level
/// faults (delay, throttling, server errors), checks the Bearer token and dispatches to an endpoint.
/// </summary>
internal sealed class PbxPipeline
{
    private const string UnavailablePage =
        "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n";

    private readonly PbxState _state;
    private readonly AuthEndpoints _auth;
    private readonly ListEndpoints _lists;
    private readonly RecordingEndpoints _recordings;

    public PbxPipeline(PbxState state)
    {
        _state = state;
        _auth = new AuthEndpoints(state);
        _lists = new ListEndpoints(state);
        _recordings = new RecordingEndpoints(state);
    }

    public async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        PbxRoute route = PbxRoute.Resolve(request.Path.Value ?? "");
        RequestRecord record = _state.Requests.RecordRequest(
            route.Kind, request.Method, request.Path + request.QueryString, request.Headers.Authorization.Count > 0);
        context.Response.OnStarting(() =>
        {
            _state.Requests.RecordStatus(record, context.Response.StatusCode);
            return Task.CompletedTask;
        });

        try
        {
            TimeSpan delay = _state.Faults.Delay;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }

            if (!await TryAnswerFaultAsync(context, route))
            {
                await DispatchAsync(context, route);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (or a fault aborted the connection); nothing left to answer.
        }
    }

    private async Task<bool> TryAnswerFaultAsync(HttpContext context, PbxRoute route)
    {
        if (_state.Faults.TryTakeThrottle(route.Kind, out TimeSpan retryAfter))
        {
            context.Response.Headers.RetryAfter = Seconds(retryAfter);
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status429TooManyRequests, "TOO_MANY_REQUESTS", "too many requests");
            return true;
        }

        if (_state.Faults.TryTakeServerError(route.Kind, out int status, out TimeSpan? serverRetryAfter))
        {
            if (serverRetryAfter is { } wait)
            {
                context.Response.Headers.RetryAfter = Seconds(wait);
            }

            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                await ApiResponses.WriteBytesAsync(context, status, "text/html", System.Text.Encoding.ASCII.GetBytes(UnavailablePage));
            }
            else
            {
                await ApiResponses.WriteErrorAsync(context, status, ApiResponses.Unknown, "internal server error");
            }

            return true;
        }

        return false;
    }

    private async Task DispatchAsync(HttpContext context, PbxRoute route)
    {
        if (IsSwitchedOff(route.Operation))
        {
            route = PbxRoute.NotFound;
        }

        if (route.Operation == PbxOperation.NotFound)
        {
            await ApiResponses.WriteNotFoundAsync(context, "resource");
            return;
        }

        if (!route.Allows(context.Request.Method))
        {
            await ApiResponses.WriteMethodNotAllowedAsync(context, string.Join(", ", route.Methods));
            return;
        }

        SimAccount? account = null;
        bool needsToken = !route.IsAnonymous || (route.Operation == PbxOperation.DownloadBlob && _state.Faults.PrivateDownloads);
        if (needsToken && (account = await AuthenticateAsync(context)) is null)
        {
            return;
        }

        Task answer = route.Operation switch
        {
            PbxOperation.SignIn => _auth.SignInAsync(context),
            PbxOperation.RefreshToken => _auth.RefreshAsync(context),
            PbxOperation.OAuthToken => _auth.OAuthTokenAsync(context),
            PbxOperation.SignOut or PbxOperation.OAuthRevoke => _auth.SignOutAsync(context),
            PbxOperation.AuthUser => AuthEndpoints.UserAsync(context, account!),
            PbxOperation.ListCdrs => _lists.CdrsAsync(context, account!),
            PbxOperation.ListRecordings => _lists.RecordingsAsync(context, account!),
            PbxOperation.CdrDetail => _lists.CdrDetailAsync(context, account!, route.Id!),
            PbxOperation.RecordingDetail => _recordings.DetailAsync(context, account!, route.Id!),
            PbxOperation.DestroyRecording => _recordings.DestroyAsync(context, account!, route.Id!),
            _ => _recordings.DownloadAsync(context, route.Id!),
        };
        await answer;
    }

    /// <summary>The account behind the Bearer token, or null after answering 401 (or the configured expired-token status).</summary>
    private async Task<SimAccount?> AuthenticateAsync(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        string? token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        switch (_state.Tokens.Check(token, out SimAccount? account))
        {
            case TokenState.Valid:
                return account;
            case TokenState.Expired:
                await ApiResponses.WriteErrorAsync(context, _state.Faults.ExpiredTokenStatus, ApiResponses.Unauthorized, "access token expired");
                return null;
            case TokenState.Missing:
                context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
                await ApiResponses.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, ApiResponses.Unauthorized, "missing access token");
                return null;
            default:
                await ApiResponses.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, ApiResponses.Unauthorized, "invalid access token");
                return null;
        }
    }

    /// <summary>Endpoints an older PBX does not have (SignInMissing, AuthUserMissing).</summary>
    private bool IsSwitchedOff(PbxOperation operation) => operation switch
    {
        PbxOperation.SignIn or PbxOperation.RefreshToken or PbxOperation.SignOut => _state.Faults.SignInMissing,
        PbxOperation.AuthUser => _state.Faults.AuthUserMissing,
        _ => false,
    };

    private static string Seconds(TimeSpan value) =>
        ((long)Math.Ceiling(value.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
