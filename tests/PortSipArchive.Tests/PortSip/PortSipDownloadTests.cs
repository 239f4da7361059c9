using System.Security.Cryptography;
using PortSipArchive.PortSip;

namespace PortSipArchive.Tests.PortSip;

public sealed class PortSipDownloadTests
{
    private static async Task<(string Sha, long Length)> HashAsync(Stream stream)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            total += read;
        }

        return (Convert.ToHexString(sha.GetHashAndReset()), total);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Download_streams_the_exact_bytes_with_content_length_and_sends_the_bearer_token(bool privateLinks)
    {
        await using var h = await PbxHarness.StartAsync(calls: 60);
        h.Pbx.Faults.PrivateDownloads = privateLinks;
        var sim = h.Pbx.VisibleRecordings()[0];
        var detail = (await h.Client.GetRecordingDetailAsync(sim.Id, CancellationToken.None))!;

        await using var download = await h.Client.OpenDownloadAsync(detail, CancellationToken.None);

        Assert.NotNull(download);
        Assert.Equal(sim.Size, download.ContentLength);
        await using var expected = h.Pbx.OpenRecordingContent(sim.Id);
        Assert.Equal(await HashAsync(expected), await HashAsync(download.Content));
        Assert.All(h.Pbx.Requests.Log().Where(r => r.Kind == "blob"), r => Assert.True(r.HasAuthorization));
    }

    [Fact]
    public async Task A_truncated_download_is_detected_as_an_error()
    {
        await using var h = await PbxHarness.StartAsync(calls: 60);
        var sim = h.Pbx.VisibleRecordings().First(r => r.Size > 10_000);
        var detail = (await h.Client.GetRecordingDetailAsync(sim.Id, CancellationToken.None))!;
        h.Pbx.Faults.TruncateBlobs(1);

        await using var download = await h.Client.OpenDownloadAsync(detail, CancellationToken.None);

        Assert.NotNull(download);
        Assert.Equal(sim.Size, download.ContentLength);
        var ex = await Record.ExceptionAsync(() => HashAsync(download.Content));
        Assert.True(ex is HttpRequestException or IOException, $"a short body must fail the read, got {ex?.GetType().Name ?? "no exception"}");
    }

    [Fact]
    public async Task A_recording_the_pbx_no_longer_has_is_null_not_an_error()
    {
        await using var h = await PbxHarness.StartAsync(calls: 60);
        var sim = h.Pbx.VisibleRecordings()[0];
        var detail = (await h.Client.GetRecordingDetailAsync(sim.Id, CancellationToken.None))!;
        h.Pbx.Faults.RecordingsGone.Add(sim.Id);

        Assert.Null(await h.Client.GetRecordingDetailAsync(sim.Id, CancellationToken.None));
        Assert.Null(await h.Client.OpenDownloadAsync(detail, CancellationToken.None));
    }

    [Fact]
    public async Task Destroy_removes_the_recording_from_the_pbx()
    {
        await using var h = await PbxHarness.StartAsync(calls: 60);
        var sim = h.Pbx.VisibleRecordings()[0];

        await h.Client.DestroyRecordingAsync(sim.Id, CancellationToken.None);

        Assert.Null(await h.Client.GetRecordingDetailAsync(sim.Id, CancellationToken.None));
        Assert.DoesNotContain(h.Pbx.VisibleRecordings(), r => r.Id == sim.Id);
    }

    [Fact]
    public void Download_links_off_the_pbx_do_not_get_the_token()
    {
        var endpoints = new PortSipEndpoints(new Uri("https://pbx.example.com:8887/api/"));

        Assert.Equal((new Uri("https://pbx.example.com:8887/api/blobs/abc"), true), endpoints.Download("/api/blobs/abc"));
        Assert.False(endpoints.Download("https://cdn.example.net/x.wav").SameOrigin);
        Assert.Equal(new Uri("https://pbx.example.com:8887/api/cdrs"), endpoints.Api("cdrs"));
    }
}
