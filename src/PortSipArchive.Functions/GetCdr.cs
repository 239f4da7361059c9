using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PortSipArchive.Api;

namespace PortSipArchive.Functions;

/// <summary>GET /api/cdrs/{id} — one CDR with its recording ids. A thin adapter over <see cref="ArchiveHttpApi"/>.</summary>
public sealed class GetCdr(ArchiveHttpApi api)
{
    [Function(nameof(GetCdr))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "cdrs/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.GetCdrAsync(request, id, cancellationToken);
}
