using PortSipArchive.Tests.Infrastructure;
using PortSipArchive.Tests.Sync;
using static PortSipArchive.Tests.Query.ArchiveData;

namespace PortSipArchive.Tests.Query;

[Collection(AzuriteCollection.Name)]
public sealed class NextLinkFollowerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Following_nextLink_over_10000_cdrs_with_pageSize_100_returns_every_row_exactly_once()
    {
        await using var api = await ApiHarness.StartAsync(azurite, seed: 3, calls: 10_000, archiveRecordings: false);
        api.Capture.Clear();
        var rows = await FollowAsync(api, $"/api/cdrs?from={Q(SyncHarness.WeekStart)}&to={Q(SyncHarness.WeekStart.AddDays(7))}&pageSize=100");
        var ids = rows.Select(r => r["id"]!.GetValue<string>()).ToList();
        Assert.Equal(10_000, api.Pbx.Data.Cdrs.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(api.Pbx.Data.Cdrs.Select(c => c.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Empty(api.Capture.UnpinnedTableRequests(api.TableHost));
        var extension = await FollowAsync(api, $"/api/cdrs?from={Q(SyncHarness.WeekStart)}&to={Q(SyncHarness.WeekStart.AddDays(7))}&extension=120&pageSize=100");
        Assert.Equal(api.Pbx.Data.Cdrs.Count(c => c.Caller == "120" || c.Callee == "120"), extension.Select(r => r["id"]!.GetValue<string>()).Distinct().Count());
    }
}
