using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PortSipArchive.Api;

namespace PortSipArchive.Functions;

/// <summary>GET /api/recordings/{id} — a recording's metadata and archive status. A thin adapter over <see cref="ArchiveHttpApi"/>.</summary>
public sealed class GetRecording(ArchiveHttpApi api)
{
    [Function(nameof(GetRecording))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "recordings/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.GetRecordingAsync(request, id, cancellationToken);
}
