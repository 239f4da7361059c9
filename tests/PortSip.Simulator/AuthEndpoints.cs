using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PortSip.Simulator;

/// <summary>
/// The two documented login styles: JSON <c>/api/auth/sign_in</c> + <c>/api/auth/refresh_token</c> (v22.2.11+)
/// and the form-encoded OAuth endpoint <c>/api/login/oauth/token</c>; plus <c>/api/auth/user</c> and sign-out.
/// </summary>
internal sealed class AuthEndpoints(PbxState state)
{
    /// <summary>The fixed client_id PortSIP documents for the OAuth-style endpoint.</summary>
    public const string OAuthClientId = "9d806019-75b2-4b3d-bb8b-f5a3a412cc0a";

    private const string LoginFailed = "Login failed, authentication error";

    public async Task SignInAsync(HttpContext context)
    {
        JsonObject? body = await ReadJsonObjectAsync(context);
        if (body is null)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ApiResponses.ValidateFailed, "request body must be a JSON object");
            return;
        }

        SimAccount? account = state.FindAccount(Text(body, "username"), Text(body, "password"), Text(body, "domain"));
        if (account is null)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ApiResponses.Unauthorized, LoginFailed);
            return;
        }

        if (state.Faults.TwoFactor)
        {
            var challenge = new JsonObject { ["two_factor_enabled"] = true, ["token"] = TokenStore.NewChallengeToken() };
            await ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, challenge);
            return;
        }

        await WriteTokensAsync(context, account);
    }

    public async Task RefreshAsync(HttpContext context)
    {
        JsonObject? body = await ReadJsonObjectAsync(context);
        await RedeemAsync(context, body is null ? null : Text(body, "refresh_token"));
    }

    public async Task OAuthTokenAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ApiResponses.ValidateFailed,
                "Content-Type must be application/x-www-form-urlencoded");
            return;
        }

        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted);
        string grantType = form["grant_type"].ToString();
        if (grantType is not ("password" or "refresh_token"))
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ApiResponses.ValidateFailed,
                "grant_type must be password or refresh_token");
            return;
        }

        bool knownClient = form["client_id"].ToString() == OAuthClientId;
        if (grantType == "refresh_token")
        {
            await RedeemAsync(context, knownClient ? form["refresh_token"].ToString() : null);
            return;
        }

        SimAccount? account = knownClient
            ? state.FindAccount(form["username"].ToString(), form["password"].ToString(), form["domain"].ToString())
            : null;
        if (account is null)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ApiResponses.Unauthorized, LoginFailed);
            return;
        }

        await WriteTokensAsync(context, account);
    }

    public Task SignOutAsync(HttpContext context)
    {
        string header = context.Request.Headers.Authorization.ToString();
        state.Tokens.Revoke(header.Length > 7 ? header[7..].Trim() : "");
        context.Response.StatusCode = StatusCodes.Status200OK;
        return Task.CompletedTask;
    }

    public static Task UserAsync(HttpContext context, SimAccount account)
    {
        var user = new JsonObject
        {
            ["username"] = account.Username,
            ["extension_number"] = account.Extension ?? "",
            ["role"] = account.Role,
            ["role_id"] = account.Role.ToUpperInvariant(),
            ["role_name"] = account.Role,
            ["domain"] = account.Domain ?? "",
            ["password_verified"] = true,
            ["password_force_reset"] = false,
            ["capabilities"] = new JsonArray(),
        };
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, user);
    }

    private async Task RedeemAsync(HttpContext context, string? refreshToken)
    {
        SimAccount? account = state.Faults.RefreshFails ? null : state.Tokens.Redeem(refreshToken);
        if (account is null)
        {
            await ApiResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, ApiResponses.Unknown, "unknown error");
            return;
        }

        await WriteTokensAsync(context, account);
    }

    private Task WriteTokensAsync(HttpContext context, SimAccount account)
    {
        IssuedTokens tokens = state.Tokens.Issue(account);
        var body = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["access_token"] = tokens.AccessToken,
            ["refresh_token"] = tokens.RefreshToken,
            ["expires_in"] = tokens.ExpiresIn,
        };
        return ApiResponses.WriteJsonAsync(context, StatusCodes.Status200OK, body);
    }

    private static async Task<JsonObject?> ReadJsonObjectAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
