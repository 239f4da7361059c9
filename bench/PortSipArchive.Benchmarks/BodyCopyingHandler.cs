namespace PortSipArchive.Benchmarks;

/// <summary>
/// Sends a copy of each request with a body. Works around PortSipTokenProvider.SendLoginAsync disposing the login
/// request before the send completes (reported; to be fixed in src/PortSipArchive.Core/PortSip).
/// </summary>
internal sealed class BodyCopyingHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return base.SendAsync(request, cancellationToken);
        }

        var body = request.Content.ReadAsByteArrayAsync(cancellationToken).GetAwaiter().GetResult();
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Content = new ByteArrayContent(body) };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        foreach (var header in request.Content.Headers)
        {
            copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return SendCopyAsync(copy, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendCopyAsync(HttpRequestMessage copy, CancellationToken cancellationToken)
    {
        using (copy)
        {
            return await base.SendAsync(copy, cancellationToken);
        }
    }
}
