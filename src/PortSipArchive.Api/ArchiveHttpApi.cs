using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PortSipArchive.Configuration;

namespace PortSipArchive.Api;

/// <summary>
/// The HTTP handlers shared by the Functions app and the local runner: they validate the query string, call a query
/// service and answer JSON (<c>{"value":[...],"nextLink":"..."}</c>), CSV or a JSON error (400/404).
/// </summary>
public sealed partial class ArchiveHttpApi(
    CdrQueryService cdrs,
    RecordingQueryService recordings,
    StatsQueryService stats,
    StatusQueryService status,
    PortSipSettings settings,
    [FromKeyedServices(ArchiveClock.Key)] TimeProvider time,
    ILogger<ArchiveHttpApi> logger)
{
    public const int DefaultPageSize = 200;

    public Task<IResult> ListCdrsAsync(HttpRequest request, CancellationToken cancellationToken) => RunAsync(request, async () =>
    {
        var query = new QueryReader(request.Query, CdrFilter.Allowed);
        var filter = CdrFilter.Read(query, time.GetUtcNow(), settings);
        var (pageSize, csv) = Paging(query);
        var page = await cdrs.ListAsync(filter, query.Text("continuation"), pageSize, cancellationToken);
        return ApiResults.Collection(page.Items, NextLink(request, filter.Parameters(), page.Next), csv, CdrItem.CsvHeader);
    });

    public Task<IResult> GetCdrAsync(HttpRequest request, string id, CancellationToken cancellationToken) => RunAsync(request, async () =>
    {
        var query = new QueryReader(request.Query, "source");
        var sources = QueryRange.Sources(settings, query.Text("source"));
        return await cdrs.GetAsync(id, sources, cancellationToken) is { } cdr
            ? ApiResults.Ok(cdr)
            : ApiResults.Error(404, "cdr_not_found", $"No CDR with id '{QueryReader.Printable(id)}' is archived.");
    });

    public Task<IResult> ListRecordingsAsync(HttpRequest request, CancellationToken cancellationToken) => RunAsync(request, async () =>
    {
        var query = new QueryReader(request.Query, RecordingFilter.Allowed);
        var filter = RecordingFilter.Read(query, time.GetUtcNow(), settings);
        var (pageSize, csv) = Paging(query);
        var page = await recordings.ListAsync(filter, query.Text("continuation"), pageSize, cancellationToken);
        return ApiResults.Collection(page.Items, NextLink(request, filter.Parameters(), page.Next), csv, RecordingItem.CsvHeader);
    });

    public Task<IResult> GetRecordingAsync(HttpRequest request, string id, CancellationToken cancellationToken) => RunAsync(request, async () =>
    {
        var query = new QueryReader(request.Query, "source");
        var sources = QueryRange.Sources(settings, query.Text("source"));
        return await recordings.GetAsync(id, sources, cancellationToken) is { } found
            ? ApiResults.Ok(found.Item)
            : RecordingNotFound(id);
    });

    public Task<IResult> GetRecordingContentAsync(HttpRequest request, string id, CancellationToken cancellationToken) => RunAsync(request, async () =>
    {
        var query = new QueryReader(request.Query, "source");
        var sources = QueryRange.Sources(settings, query.Text("source"));
        if (await recordings.GetAsync(id, sources, cancellationToken) is not { } found)
        {
            return RecordingNotFound(id);
        }

        if (found.Item.Status != "archived" || found.Item.Size is not { } size)
        {
            return NotArchived(found.Item);
        }

        var range = ByteRange.Parse(request.Headers.Range.ToString(), size);
        if (range is { Satisfiable: false })
        {
            return new RecordingStreamResult(null, size, range);
        }

        var content = await recordings.OpenAsync(id, sources, range?.ToHttpRange(), cancellationToken);
        return content?.Blob is { } blob ? new RecordingStreamResult(blob, size, range) : NotArchived(content?.Recording ?? found.Item);
    });

    public Task<IResult> DailyStatsAsync(HttpRequest request, CancellationToken cancellationToken) => RunAsync(request, async () =>
    {
        var query = new QueryReader(request.Query, StatsFilter.Allowed);
        var filter = StatsFilter.Read(query, time.GetUtcNow(), settings);
        var (pageSize, csv) = Paging(query);
        var page = await stats.ListAsync(filter, query.Text("continuation"), pageSize, cancellationToken);
        return ApiResults.Collection(page.Items, NextLink(request, filter.Parameters(), page.Next), csv, StatsItem.CsvHeader);
    });

    public Task<IResult> StatusAsync(HttpRequest request, CancellationToken cancellationToken) => RunAsync(request, async () =>
    {
        var query = new QueryReader(request.Query, "source");
        var sources = QueryRange.Sources(settings, query.Text("source"));
        return ApiResults.Ok(await status.ReadAsync(sources, cancellationToken));
    });

    public Task<IResult> OpenApiDocumentAsync(HttpRequest request, CancellationToken cancellationToken) => RunAsync(request, async () =>
    {
        _ = new QueryReader(request.Query);
        return new OpenApiResult(await ArchiveOpenApi.JsonAsync(ServerUrl(request), cancellationToken));
    });

    private static (int PageSize, bool Csv) Paging(QueryReader query) =>
        (query.Number("pageSize", 1, SegmentPager.MaxPageSize) ?? DefaultPageSize, query.Choice("format", "json", "csv") == "csv");

    private static IResult RecordingNotFound(string id) =>
        ApiResults.Error(404, "recording_not_found", $"No recording with id '{QueryReader.Printable(id)}' is known.");

    private static IResult NotArchived(RecordingItem item) =>
        ApiResults.Error(404, "recording_not_archived", $"Recording '{item.Id}' is not archived (status: {item.Status}).", item.Status);

    /// <summary>The request's scheme, host and path base + <c>/api</c>.</summary>
    private static string ServerUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/api";

    /// <summary>This path with every filter, pageSize, format, code (the function key, so Logic Apps can follow it) and the continuation.</summary>
    private static string? NextLink(HttpRequest request, IEnumerable<KeyValuePair<string, string>> filters, PageToken? next)
    {
        if (next is null)
        {
            return null;
        }

        var parameters = filters.Select(f => new KeyValuePair<string, string?>(f.Key, f.Value)).ToList();
        foreach (var name in new[] { "pageSize", "format", "code" })
        {
            if (request.Query.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value))
            {
                parameters.Add(new(name, value.ToString()));
            }
        }

        parameters.Add(new("continuation", next.Encode()));
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{QueryString.Create(parameters)}";
    }

    private async Task<IResult> RunAsync(HttpRequest request, Func<Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await handler();
        }
        catch (ApiException ex)
        {
            return ApiResults.Error(ex.Status, ex.Code, ex.Message);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == "TableNotFound")
        {
            return ApiResults.Error(404, "archive_empty", "The archive has no data yet (the sync has not run).");
        }
        catch (RequestFailedException ex)
        {
            LogStorageError(logger, request.Path, ex);
            return ApiResults.Error(502, "storage_error", "The archive storage did not answer as expected; try again.");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage request failed for {Path}")]
    private static partial void LogStorageError(ILogger logger, PathString path, Exception exception);
}
