using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PortSipArchive.Api;

namespace PortSipArchive.Functions;

/// <summary>GET /api/recordings — recordings with filters and paging. A thin adapter over <see cref="ArchiveHttpApi"/>.</summary>
public sealed class ListRecordings(ArchiveHttpApi api)
{
    [Function(nameof(ListRecordings))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "recordings")] HttpRequest request, CancellationToken cancellationToken) =>
        api.ListRecordingsAsync(request, cancellationToken);
}
