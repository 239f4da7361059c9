using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using PortSip.Simulator;

namespace PortSipArchive.Tests.Simulator;

public class SimulatorRecordingTests
{
    [Fact]
    public async Task Detail_then_blob_serves_the_same_bytes_as_OpenRecordingContent_with_a_matching_wav_header()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        SimRecording recording = s.Pbx.VisibleRecordings().First(r => !r.IsMp3);

        JsonObject detail = await s.GetOkAsync($"api/recordings/{recording.Id}", token);
        JsonObject item = Assert.Single(detail["items"]!.AsArray())!.AsObject();
        Assert.True(JsonNode.DeepEquals(recording.ToDetailJson(), item));
        string fileUrl = (string)item["file_url"]!;
        Assert.StartsWith("/api/blobs/", fileUrl, StringComparison.Ordinal);

        using HttpResponseMessage response = await s.SendRawAsync(HttpMethod.Get, fileUrl.TrimStart('/'), token: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(recording.Size, response.Content.Headers.ContentLength);
        Assert.Equal(recording.FileName, response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        byte[] served = await response.Content.ReadAsByteArrayAsync();
        using var expected = new MemoryStream();
        await using (Stream content = s.Pbx.OpenRecordingContent(recording.Id))
        {
            await content.CopyToAsync(expected);
        }

        Assert.Equal(expected.ToArray(), served);
        AssertWavHeader(served, served.Length);
    }

    [Fact]
    public async Task A_two_gigabyte_recording_is_streamed_with_its_full_content_length()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        const long size = 2L * 1024 * 1024 * 1024 + 44;
        SimRecording source = s.Pbx.Data.Recordings.First(r => !r.IsMp3);
        SimRecording huge = source with { Id = "999000000000000777", BlobToken = "huge-token", Size = size, ReportedFileSize = size };
        s.Pbx.Data.AddRecording(huge);

        using HttpResponseMessage response = await s.SendRawAsync(HttpMethod.Get, "api/blobs/huge-token", null, completion: HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(size, response.Content.Headers.ContentLength);
        byte[] firstMegabyte = new byte[1024 * 1024];
        await using (Stream body = await response.Content.ReadAsStreamAsync())
        {
            await body.ReadExactlyAsync(firstMegabyte);
        }

        byte[] expected = new byte[firstMegabyte.Length];
        await using (Stream content = s.Pbx.OpenRecordingContent(huge.Id))
        {
            Assert.Equal(size, content.Length);
            await content.ReadExactlyAsync(expected);
        }

        Assert.Equal(expected, firstMegabyte);
        AssertWavHeader(firstMegabyte, size);
    }

    [Fact]
    public async Task Recording_content_is_deterministic_seekable_and_differs_between_recordings()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        SimRecording[] two = [.. s.Pbx.Data.Recordings.Take(2)];

        byte[] a1 = await ReadAllAsync(s.Pbx.OpenRecordingContent(two[0].Id));
        byte[] a2 = await ReadAllAsync(s.Pbx.OpenRecordingContent(two[0].Id));
        byte[] b = await ReadAllAsync(s.Pbx.OpenRecordingContent(two[1].Id));

        Assert.Equal(a1, a2);
        Assert.NotEqual(a1.AsSpan(44, 64).ToArray(), b.AsSpan(44, 64).ToArray());
        await using Stream seeked = s.Pbx.OpenRecordingContent(two[0].Id);
        seeked.Position = 1001;
        byte[] tail = new byte[100];
        await seeked.ReadExactlyAsync(tail);
        Assert.Equal(a1.AsSpan(1001, 100).ToArray(), tail);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Content_is_the_same_whatever_the_read_sizes(bool mp3)
    {
        const int size = 5000;
        byte[] whole = new byte[size];
        using (var stream = new RecordingContentStream("878156644691742720", size, mp3))
        {
            stream.ReadExactly(whole);
            Assert.Equal(0, stream.Read(new byte[10]));
        }

        using var pieces = new RecordingContentStream("878156644691742720", size, mp3);
        var collected = new List<byte>();
        byte[] buffer = new byte[13];
        for (int round = 0, n; (n = pieces.Read(buffer, 0, 1 + (round % 13))) > 0; round++)
        {
            collected.AddRange(buffer.Take(n));
        }

        Assert.Equal(whole, collected);
        Assert.True(whole.Skip(mp3 ? 4 : 44).Distinct().Count() > 200, "the body should be noise, not a constant");
    }

    [Fact]
    public async Task Mp3_recordings_are_served_as_audio_mpeg_frames()
    {
        await using PbxSession s = await PbxSession.StartAsync(o => o.Generation.Mp3Share = 1);
        SimRecording mp3 = s.Pbx.Data.Recordings[0];
        Assert.EndsWith(".mp3", mp3.FileName, StringComparison.Ordinal);

        using HttpResponseMessage response = await s.SendRawAsync(HttpMethod.Get, mp3.DownloadPath.TrimStart('/'), null);
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("audio/mpeg", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(mp3.Size, body.Length);
        Assert.Equal([0xFF, 0xFB], body[..2]);
        Assert.Equal([0xFF, 0xFB], body[417..419]);
    }

    [Fact]
    public async Task Destroy_answers_204_and_the_recording_disappears_from_lists_detail_and_blob()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        string token = await s.SignInAsync();
        SimRecording victim = s.Pbx.VisibleRecordings()[3];
        int before = (int)(await s.GetOkAsync("api/recordings?top=1", token))["count"]!;

        using (HttpResponseMessage destroyed = await s.SendRawAsync(HttpMethod.Post, $"api/recordings/{victim.Id}/destroy", token))
        {
            Assert.Equal(HttpStatusCode.NoContent, destroyed.StatusCode);
        }

        Assert.Equal(before - 1, (int)(await s.GetOkAsync("api/recordings?top=1", token))["count"]!);
        Assert.DoesNotContain(await s.ReadAllAsync("api/recordings", token), i => (string)i["id"]! == victim.Id);
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync($"api/recordings/{victim.Id}", token)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync(victim.DownloadPath.TrimStart('/'), null)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await s.SendAsync(HttpMethod.Post, $"api/recordings/{victim.Id}/destroy", token)).Status);
        Assert.Equal([victim.Id], s.Pbx.Data.DestroyedRecordingIds);
        Assert.NotNull(s.Pbx.Data.FindCdr(victim.CdrId));
    }

    [Fact]
    public async Task Destroy_needs_a_token_and_a_post()
    {
        await using PbxSession s = await PbxSession.StartAsync();
        SimRecording recording = s.Pbx.VisibleRecordings()[0];
        string token = await s.SignInAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await s.SendAsync(HttpMethod.Post, $"api/recordings/{recording.Id}/destroy", null)).Status);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await s.GetAsync($"api/recordings/{recording.Id}/destroy", token)).Status);
        Assert.Empty(s.Pbx.Data.DestroyedRecordingIds);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    private static void AssertWavHeader(byte[] bytes, long fileSize)
    {
        Assert.Equal("RIFF"u8.ToArray(), bytes[..4]);
        Assert.Equal((uint)(fileSize - 8), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal("WAVEfmt "u8.ToArray(), bytes[8..16]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(20)));
        Assert.Equal(1, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(22)));
        Assert.Equal(8000, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)));
        Assert.Equal(16000, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(28)));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(34)));
        Assert.Equal("data"u8.ToArray(), bytes[36..40]);
        Assert.Equal((uint)(fileSize - 44), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(40)));
    }
}
