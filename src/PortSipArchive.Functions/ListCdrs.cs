using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PortSipArchive.Api;

namespace PortSipArchive.Functions;

/// <summary>GET /api/cdrs — CDRs with filters and paging. A thin adapter over <see cref="ArchiveHttpApi"/>.</summary>
public sealed class ListCdrs(ArchiveHttpApi api)
{
    [Function(nameof(ListCdrs))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "cdrs")] HttpRequest request, CancellationToken cancellationToken) =>
        api.ListCdrsAsync(request, cancellationToken);
}
