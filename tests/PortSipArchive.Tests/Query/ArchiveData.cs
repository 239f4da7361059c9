using System.Text.Json.Nodes;
using PortSipArchive.Tests.Infrastructure;

namespace PortSipArchive.Tests.Query;

/// <summary>One archive (600 simulated calls, synced and recordings archived) shared by the query tests, built on first use.</summary>
internal static class ArchiveData
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static ApiHarness? _harness;

    public static async Task<ApiHarness> GetAsync(AzuriteFixture azurite)
    {
        await Gate.WaitAsync();
        try
        {
            return _harness ??= await ApiHarness.StartAsync(azurite, seed: 7, calls: 600, archiveRecordings: true);
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Follows nextLink until it is absent and returns every row.</summary>
    public static async Task<List<JsonObject>> FollowAsync(ApiHarness api, string first)
    {
        var rows = new List<JsonObject>();
        for (var next = first; next is not null;)
        {
            var response = await api.GetAsync(next);
            Assert.True(response.Status == 200, response.Body);
            var page = JsonNode.Parse(response.Body)!.AsObject();
            rows.AddRange(page["value"]!.AsArray().Select(r => r!.AsObject()));
            next = page["nextLink"] is { } link ? ApiHarness.Relative(link.GetValue<string>()) : null;
        }

        return rows;
    }

    public static string Q(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture));
}
