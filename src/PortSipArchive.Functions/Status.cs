using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PortSipArchive.Api;

namespace PortSipArchive.Functions;

/// <summary>GET /api/status — sync health per source. A thin adapter over <see cref="ArchiveHttpApi"/>.</summary>
public sealed class Status(ArchiveHttpApi api)
{
    [Function(nameof(Status))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "status")] HttpRequest request, CancellationToken cancellationToken) =>
        api.StatusAsync(request, cancellationToken);
}
