using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using CsvHelper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PortSip.Simulator;
using PortSipArchive.Api;
using PortSipArchive.Archive;
using PortSipArchive.PortSip;
using PortSipArchive.Storage;
using PortSipArchive.Sync;
using SimTimestamp = PortSip.Simulator.PortSipTimestamp;

namespace PortSipArchive.Benchmarks;

/// <summary>
/// Issue 5, section 4: archives of 10,000 and 200,000 CDRs (one simulated week each, separate table prefixes in one
/// Azurite), written directly with the product's row builders and writers; then each query through the HTTP API on
/// Kestrel, as a client calls it (following nextLink until absent), with what the API read from Table Storage.
/// </summary>
internal static partial class QueryBenchmark
{
    private const string Source = "main";
    private const int Days = 7;
    private static readonly DateTimeOffset WeekStart = new(2024, 8, 12, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> RunAsync(string connectionString, int repetitions)
    {
        var storage = StorageConnection.FromConnectionString(connectionString);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        Console.WriteLine($"query benchmark: one simulated week ({WeekStart:yyyy-MM-dd} + {Days} days) per archive, median of {repetitions} repetitions, default pageSize ({ArchiveHttpApi.DefaultPageSize}) unless noted");
        Export? export = null;
        foreach (var size in new[] { 10_000, 200_000 })
        {
            var prefix = "q" + size.ToString(CultureInfo.InvariantCulture);
            var cdrs = Generate(size);
            var fill = Stopwatch.StartNew();
            var tables = new ArchiveTables(storage, new ArchiveSettings { TablePrefix = prefix });
            await FillAsync(tables, cdrs);
            fill.Stop();
            Console.WriteLine();
            Console.WriteLine($"archive of {cdrs.Count:N0} CDRs (tables {prefix}*) written in {fill.Elapsed.TotalSeconds:F1} s");

            var capture = new PartitionCapture();
            await using var host = await ApiHost.StartAsync(connectionString, prefix, capture);
            var day = cdrs.GroupBy(c => c.StartedAt.UtcDateTime.Date).MaxBy(g => g.Count())!;
            var extension = cdrs.SelectMany(c => DailyStatsWriter.InternalParties(c.Direction, c.Caller, c.Callee)).GroupBy(e => e, StringComparer.Ordinal).MaxBy(g => g.Count())!.Key;
            var monthStart = new DateTimeOffset(WeekStart.Year, WeekStart.Month, 1, 0, 0, 0, TimeSpan.Zero);
            var yearStart = new DateTimeOffset(WeekStart.Year, 1, 1, 0, 0, 0, TimeSpan.Zero);
            var queries = new (string Name, string Path, int Expected)[]
            {
                ($"one day of CDRs ({day.Key:yyyy-MM-dd})", $"/api/cdrs?from={Date(day.Key)}&to={Date(day.Key.AddDays(1))}", day.Count()),
                ($"one extension over a month ({extension}, {monthStart:yyyy-MM})", $"/api/cdrs?from={Date(monthStart)}&to={Date(monthStart.AddMonths(1))}&extension={extension}",
                    cdrs.Count(c => c.Caller == extension || c.Callee == extension)),
                ($"stats over a year ({yearStart:yyyy}, all calls)", $"/api/stats/daily?from={Date(yearStart)}&to={Date(yearStart.AddYears(1))}", Days),
                ($"stats over a year ({yearStart:yyyy}, by extension)", $"/api/stats/daily?from={Date(yearStart)}&to={Date(yearStart.AddYears(1))}&groupBy=extension",
                    cdrs.SelectMany(c => DailyStatsWriter.InternalParties(c.Direction, c.Caller, c.Callee).Select(e => (e, c.StartedAt.UtcDateTime.Date))).Distinct().Count()),
            };
            foreach (var (name, path, expected) in queries)
            {
                var runs = new List<Run>();
                for (var i = 0; i < repetitions; i++)
                {
                    runs.Add(await host.RunJsonAsync(http, path, capture));
                }

                var run = runs[0];
                if (run.Returned != expected || runs.Any(r => r.Returned != run.Returned || r.RowsRead != run.RowsRead))
                {
                    throw new InvalidOperationException($"{name}: returned {run.Returned}, expected {expected} (runs: {string.Join(", ", runs.Select(r => r.Returned))})");
                }

                Console.WriteLine($"  {name}: {run.Pages} pages; read {run.PartitionQueries} partition queries on {run.DistinctPartitions} partition(s), {run.StorageRequests} storage requests, " +
                    $"{run.RowsRead:N0} rows read, {run.Returned:N0} rows returned, rows read / returned = {(double)run.RowsRead / Math.Max(1, run.Returned):F3}; " +
                    $"median latency {Median(runs.Select(r => r.Elapsed)).TotalMilliseconds:F0} ms");
            }

            if (size == 200_000)
            {
                export = await host.ExportAsync(http, connectionString, prefix, day.Key, day.Count(), capture, repetitions);
            }
        }

        if (export is { } e)
        {
            Console.WriteLine();
            Console.WriteLine($"CSV export of one day ({e.Day:yyyy-MM-dd}, {e.Rows:N0} CDRs) following nextLink (Link header), pageSize 1000: {e.Pages} pages, " +
                $"{e.RowsRead:N0} rows read by the API (read / returned = {(double)e.RowsRead / e.Rows:F3}), median {e.Csv.TotalSeconds:F2} s");
            Console.WriteLine($"same partition straight from the table with the SDK (QueryAsync, maxPerPage 1000): {e.SdkRows:N0} rows, median {e.Sdk.TotalSeconds:F2} s");
            Console.WriteLine($"CSV export / SDK read = {e.Csv.TotalSeconds / e.Sdk.TotalSeconds:F2}");
        }

        return 0;
    }

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static TimeSpan Median(IEnumerable<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>The simulator's CDRs for one week, as PortSipCdr the way the client's parser reads the PBX's list JSON.</summary>
    private static List<PortSipCdr> Generate(int count)
    {
        var data = CallGenerator.Generate(new GenerationOptions { Seed = 5, CallCount = count, From = WeekStart, To = WeekStart.AddDays(Days), RecordedShare = 0 });
        return [.. data.Cdrs.Select(ToPortSipCdr)];
    }

    private static PortSipCdr ToPortSipCdr(SimCdr sim)
    {
        var json = sim.ToListJson();
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, node) in json)
        {
            fields[name] = node switch
            {
                null => null,
                JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
                _ => node.ToJsonString(),
            };
        }

        return new PortSipCdr
        {
            Id = sim.Id,
            StartedAt = SimTimestamp.TruncateToMicroseconds(sim.StartedAt),
            RangAt = sim.RangAt is { } r ? SimTimestamp.TruncateToMicroseconds(r) : null,
            AnsweredAt = sim.AnsweredAt is { } a ? SimTimestamp.TruncateToMicroseconds(a) : null,
            EndedAt = SimTimestamp.TruncateToMicroseconds(sim.EndedAt),
            Caller = sim.Caller,
            Callee = sim.Callee,
            Direction = sim.Direction,
            Duration = sim.Duration,
            Fields = fields,
            RawJson = json.ToJsonString(),
        };
    }

    /// <summary>The CDR rows as the sync writes them (same buffer), then the daily stats of the week's days.</summary>
    private static async Task FillAsync(ArchiveTables tables, List<PortSipCdr> cdrs)
    {
        await tables.EnsureCreatedAsync(CancellationToken.None);
        var writer = new TableBatchWriter(parallelism: 8);
        var buffer = SyncWindowArchiver.CreateCdrBuffer(writer);
        foreach (var cdr in cdrs)
        {
            await buffer.AddAsync(CdrRows.AllRows(tables, Source, cdr), CancellationToken.None);
        }

        await buffer.FlushAsync(CancellationToken.None);
        var days = Enumerable.Range(0, Days).Select(d => DateOnly.FromDateTime(WeekStart.UtcDateTime.AddDays(d)));
        await new DailyStatsWriter(tables, writer).RecomputeAsync(Source, days, CancellationToken.None);
    }

    private sealed record Run(int Pages, long PartitionQueries, int DistinctPartitions, int StorageRequests, long RowsRead, int Returned, TimeSpan Elapsed);

    private sealed record Export(DateTime Day, int Rows, int Pages, long RowsRead, TimeSpan Csv, int SdkRows, TimeSpan Sdk);

    /// <summary>AddPortSipArchive + AddArchiveApi + MapArchiveApi on Kestrel at 127.0.0.1:0, as the local runner hosts it.</summary>
    private sealed class ApiHost : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ApiHost(WebApplication app, Uri baseUrl)
        {
            _app = app;
            BaseUrl = baseUrl;
            Counter = app.Services.GetRequiredService<ApiReadCounter>();
        }

        public Uri BaseUrl { get; }

        public ApiReadCounter Counter { get; }

        public static async Task<ApiHost> StartAsync(string connectionString, string prefix, PartitionCapture capture)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = connectionString,
                ["Archive:TablePrefix"] = prefix,
                ["PortSip:BaseUrl"] = "http://127.0.0.1:9/",
                ["PortSip:Username"] = "admin",
                ["PortSip:Password"] = "unused",
                ["PortSip:TenantDomain"] = SimulatorOptions.DefaultTenantDomain,
            });
            var options = new ApiClientOptions();
            options.Tables.AddPolicy(capture, HttpPipelinePosition.PerCall);
            builder.Services.AddPortSipArchive(builder.Configuration);
            builder.Services.AddSingleton(options);
            builder.Services.AddArchiveApi();
            var app = builder.Build();
            app.MapArchiveApi();
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ApiHost(app, new Uri(address));
        }

        /// <summary>One JSON query, following nextLink until it is absent.</summary>
        public async Task<Run> RunJsonAsync(HttpClient http, string pathAndQuery, PartitionCapture capture)
        {
            Counter.Reset();
            capture.Reset();
            var watch = Stopwatch.StartNew();
            var next = new Uri(BaseUrl, pathAndQuery);
            var pages = 0;
            var returned = 0;
            long partitionQueries = 0;
            while (true)
            {
                using var response = await http.GetAsync(next);
                var body = await response.Content.ReadAsStreamAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{next}: {(int)response.StatusCode} {await new StreamReader(body).ReadToEndAsync()}");
                }

                using var document = await JsonDocument.ParseAsync(body);
                pages++;
                returned += document.RootElement.GetProperty("value").GetArrayLength();
                if (!document.RootElement.TryGetProperty("nextLink", out var link) || link.GetString() is not { } url)
                {
                    break;
                }

                next = new Uri(url);
            }

            watch.Stop();
            partitionQueries += Counter.Partitions;
            return new Run(pages, partitionQueries, capture.DistinctPartitions, capture.Requests, Counter.Rows, returned, watch.Elapsed);
        }

        /// <summary>The day as CSV (pageSize 1000, next page from the Link header) versus the same partition read with the SDK.</summary>
        public async Task<Export> ExportAsync(HttpClient http, string connectionString, string prefix, DateTime day, int expected, PartitionCapture capture, int repetitions)
        {
            var csvTimes = new List<TimeSpan>();
            var sdkTimes = new List<TimeSpan>();
            var pages = 0;
            var rows = 0;
            long rowsRead = 0;
            var sdkRows = 0;
            var table = new TableServiceClient(connectionString).GetTableClient(prefix + "cdrs");
            var partition = ArchiveKeys.DayPartition(Source, new DateTimeOffset(day, TimeSpan.Zero));
            for (var i = 0; i < repetitions; i++)
            {
                Counter.Reset();
                capture.Reset();
                pages = 0;
                rows = 0;
                var watch = Stopwatch.StartNew();
                Uri? next = new(BaseUrl, $"/api/cdrs?from={Date(day)}&to={Date(day.AddDays(1))}&format=csv&pageSize=1000");
                while (next is not null)
                {
                    using var response = await http.GetAsync(next, HttpCompletionOption.ResponseHeadersRead);
                    response.EnsureSuccessStatusCode();
                    using (var csv = CsvReader.Create(await response.Content.ReadAsStreamAsync()))
                    {
                        while (await csv.ReadAsync())
                        {
                            rows++;
                        }
                    }

                    pages++;
                    next = NextFromLink(response.Headers);
                }

                watch.Stop();
                csvTimes.Add(watch.Elapsed);
                rowsRead = Counter.Rows;
                if (rows != expected)
                {
                    throw new InvalidOperationException($"CSV export returned {rows} rows, expected {expected}.");
                }

                watch.Restart();
                sdkRows = 0;
                await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: 1000))
                {
                    sdkRows++;
                }

                watch.Stop();
                sdkTimes.Add(watch.Elapsed);
            }

            return new Export(day, rows, pages, rowsRead, Median(csvTimes), sdkRows, Median(sdkTimes));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private static Uri? NextFromLink(HttpResponseHeaders headers)
        {
            if (!headers.TryGetValues("Link", out var values))
            {
                return null;
            }

            foreach (var value in values)
            {
                var m = LinkNext().Match(value);
                if (m.Success)
                {
                    return new Uri(m.Groups[1].Value);
                }
            }

            return null;
        }
    }

    [GeneratedRegex("<([^>]+)>\\s*;\\s*rel=\"?next\"?")]
    private static partial Regex LinkNext();
}
