namespace PortSip.Simulator;

/// <summary>The API operations the simulator answers.</summary>
internal enum PbxOperation
{
    NotFound,
    SignIn,
    RefreshToken,
    SignOut,
    AuthUser,
    OAuthToken,
    OAuthRevoke,
    ListCdrs,
    CdrDetail,
    ListRecordings,
    RecordingDetail,
    DestroyRecording,
    DownloadBlob,
}

/// <summary>A request path resolved to an operation, its endpoint kind, the methods it allows and its id.</summary>
internal sealed record PbxRoute(PbxOperation Operation, string Kind, string[] Methods, string? Id)
{
    private static readonly string[] PostOnly = ["POST"];
    private static readonly string[] GetOnly = ["GET"];
    private static readonly string[] GetOrPost = ["GET", "POST"];

    public static PbxRoute Resolve(string path)
    {
        string[] s = path.Split('/');
        if (s.Length < 3 || s[0].Length != 0 || s[1] != "api" || s.Any(p => p.Length == 0 && p != s[0]))
        {
            return NotFound;
        }

        return s[2..] switch
        {
            ["auth", "sign_in"] => new(PbxOperation.SignIn, EndpointKind.Login, PostOnly, null),
            ["auth", "refresh_token"] => new(PbxOperation.RefreshToken, EndpointKind.Login, PostOnly, null),
            ["auth", "sign_out"] => new(PbxOperation.SignOut, EndpointKind.Login, PostOnly, null),
            ["auth", "user"] => new(PbxOperation.AuthUser, EndpointKind.User, GetOnly, null),
            ["login", "oauth", "token"] => new(PbxOperation.OAuthToken, EndpointKind.Login, PostOnly, null),
            ["login", "oauth", "revoke"] => new(PbxOperation.OAuthRevoke, EndpointKind.Login, PostOnly, null),
            ["cdrs"] => new(PbxOperation.ListCdrs, EndpointKind.Cdrs, GetOrPost, null),
            ["cdrs", var id] => new(PbxOperation.CdrDetail, EndpointKind.Detail, GetOrPost, id),
            ["recordings"] => new(PbxOperation.ListRecordings, EndpointKind.Recordings, GetOrPost, null),
            ["recordings", var id] => new(PbxOperation.RecordingDetail, EndpointKind.Detail, GetOrPost, id),
            ["recordings", var id, "destroy"] => new(PbxOperation.DestroyRecording, EndpointKind.Destroy, PostOnly, id),
            ["blobs", var token] => new(PbxOperation.DownloadBlob, EndpointKind.Blob, GetOnly, token),
            _ => NotFound,
        };
    }

    public static PbxRoute NotFound { get; } = new(PbxOperation.NotFound, EndpointKind.Other, [], null);

    public bool Allows(string method) => Methods.Contains(method, StringComparer.OrdinalIgnoreCase);

    /// <summary>Operations that need no Bearer token (logins, refresh; blobs unless downloads are private).</summary>
    public bool IsAnonymous => Operation is PbxOperation.SignIn or PbxOperation.RefreshToken or PbxOperation.OAuthToken
        or PbxOperation.DownloadBlob or PbxOperation.NotFound;
}
