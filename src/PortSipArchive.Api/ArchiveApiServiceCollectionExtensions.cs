using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PortSipArchive.Api;

public static class ArchiveApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers the query services and <see cref="ArchiveHttpApi"/> (after AddPortSipArchive, whose settings they use).
    /// An <see cref="ApiClientOptions"/> registered before this call is used for the API's storage clients.
    /// </summary>
    public static IServiceCollection AddArchiveApi(this IServiceCollection services)
    {
        services.TryAddSingleton(new ApiClientOptions());
        services.TryAddSingleton<ApiReadCounter>();
        services.TryAddSingleton<ApiTables>();
        services.TryAddSingleton<SegmentPager>();
        services.TryAddSingleton<CdrQueryService>();
        services.TryAddSingleton<RecordingQueryService>();
        services.TryAddSingleton<StatsQueryService>();
        services.TryAddSingleton<StatusQueryService>();
        services.TryAddSingleton<ArchiveHttpApi>();
        return services;
    }

    /// <summary>The same routes the Functions app serves, under <c>/api</c>, for the local runner (no function keys locally).</summary>
    public static IEndpointRouteBuilder MapArchiveApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api");
        api.MapGet("/cdrs", (HttpRequest r, ArchiveHttpApi a, CancellationToken c) => a.ListCdrsAsync(r, c));
        api.MapGet("/cdrs/{id}", (HttpRequest r, string id, ArchiveHttpApi a, CancellationToken c) => a.GetCdrAsync(r, id, c));
        api.MapGet("/recordings", (HttpRequest r, ArchiveHttpApi a, CancellationToken c) => a.ListRecordingsAsync(r, c));
        api.MapGet("/recordings/{id}", (HttpRequest r, string id, ArchiveHttpApi a, CancellationToken c) => a.GetRecordingAsync(r, id, c));
        api.MapGet("/recordings/{id}/content", (HttpRequest r, string id, ArchiveHttpApi a, CancellationToken c) => a.GetRecordingContentAsync(r, id, c));
        api.MapGet("/stats/daily", (HttpRequest r, ArchiveHttpApi a, CancellationToken c) => a.DailyStatsAsync(r, c));
        api.MapGet("/status", (HttpRequest r, ArchiveHttpApi a, CancellationToken c) => a.StatusAsync(r, c));
        api.MapGet("/openapi.json", (HttpRequest r, ArchiveHttpApi a, CancellationToken c) => a.OpenApiDocumentAsync(r, c));
        return endpoints;
    }
}
