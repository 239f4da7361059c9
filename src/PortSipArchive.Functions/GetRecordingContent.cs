using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PortSipArchive.Api;

namespace PortSipArchive.Functions;

/// <summary>GET /api/recordings/{id}/content — the recording's audio with Range support. A thin adapter over <see cref="ArchiveHttpApi"/>.</summary>
public sealed class GetRecordingContent(ArchiveHttpApi api)
{
    [Function(nameof(GetRecordingContent))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "recordings/{id}/content")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.GetRecordingContentAsync(request, id, cancellationToken);
}
