namespace PortSipArchive.PortSip;

/// <summary>
/// The PortSIP v22 REST paths for one base URL. The base URL may be given with or without a trailing
/// <c>/api</c> (the docs write it both ways); paths are built from the root either way.
/// </summary>
internal sealed class PortSipEndpoints
{
    public PortSipEndpoints(Uri baseUrl)
    {
        var text = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (text.EndsWith("/api", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^4];
        }

        Root = new Uri(text + "/");
    }

    public Uri Root { get; }

    public Uri SignIn => Api("auth/sign_in");

    public Uri RefreshToken => Api("auth/refresh_token");

    public Uri OAuthToken => Api("login/oauth/token");

    public Uri User => Api("auth/user");

    public Uri Api(string relative) => new(Root, "api/" + relative);

    /// <summary>
    /// Resolves a <c>file_url</c> (usually <c>/api/blobs/…</c>, relative to the PBX root). Returns whether it is on
    /// the PBX itself, because the Bearer token is only sent there.
    /// </summary>
    public (Uri Url, bool SameOrigin) Download(string fileUrl)
    {
        var url = Uri.TryCreate(fileUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https"
            ? absolute
            : new Uri(Root, fileUrl.TrimStart('/'));
        var same = Uri.Compare(url, Root, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
        return (url, same);
    }
}
