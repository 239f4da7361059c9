using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using PortSipArchive.Api;

namespace PortSipArchive.Functions;

/// <summary>GET /api/stats/daily — daily statistics. A thin adapter over <see cref="ArchiveHttpApi"/>.</summary>
public sealed class DailyStats(ArchiveHttpApi api)
{
    [Function(nameof(DailyStats))]
    public Task<IResult> Run([HttpTrigger(AuthorizationLevel.Function, "get", Route = "stats/daily")] HttpRequest request, CancellationToken cancellationToken) =>
        api.DailyStatsAsync(request, cancellationToken);
}
