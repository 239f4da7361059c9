using System.Text.Json.Nodes;
using PortSip.Simulator;

namespace PortSipArchive.Tests.Simulator;

public class SimulatorGeneratorTests
{
    private static PbxData Generate(int seed, int calls = 3000) =>
        CallGenerator.Generate(new GenerationOptions { Seed = seed, CallCount = calls });

    private static string Fingerprint(PbxData data) =>
        new JsonArray([.. data.Cdrs.Select(c => c.ToDetailJson()), .. data.Recordings.Select(r => r.ToDetailJson())]).ToJsonString()
        + string.Join(",", data.Recordings.Select(r => $"{r.Id}:{r.Size}:{r.BlobToken}"));

    [Fact]
    public void The_same_seed_gives_the_same_data_and_another_seed_does_not()
    {
        Assert.Equal(Fingerprint(Generate(11, 500)), Fingerprint(Generate(11, 500)));
        Assert.NotEqual(Fingerprint(Generate(11, 500)), Fingerprint(Generate(12, 500)));
    }

    [Fact]
    public void Ids_are_unique_snowflakes_of_the_start_time()
    {
        PbxData data = Generate(3);

        string[] ids = [.. data.Cdrs.Select(c => c.Id), .. data.Recordings.Select(r => r.Id)];
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(data.Cdrs, c =>
        {
            long id = long.Parse(c.Id, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(id > 1L << 53, "ids must exceed double precision like real PortSIP ids");
            Assert.InRange((c.StartedAt - SnowflakeId.TimeOf(id)).TotalMilliseconds, 0, 1);
        });
    }

    [Fact]
    public void Calls_look_like_a_real_tenant()
    {
        PbxData data = Generate(5);
        IReadOnlyList<SimCdr> cdrs = data.Cdrs;

        Assert.Equal(["EXTENSION_CALL", "INBOUND_CALL", "INBOUND_OUTBOUND_CALL", "OUTBOUND_CALL"], cdrs.Select(c => c.Direction).Distinct().Order());
        Assert.Contains(cdrs, c => c.EndReason == "CALLER_DISCONNECT");
        Assert.Contains(cdrs, c => c.EndReason == "CALLEE_DISCONNECTED");
        Assert.Contains(cdrs, c => c.RerouteReason.Length > 0);
        Assert.True(cdrs.Count(c => c.RerouteReason.Length == 0) > cdrs.Count / 2);
        Assert.Contains(cdrs, c => c.CallerDisplayName == "Zoë Müller" || c.CalleeDisplayName == "Zoë Müller");
        Assert.Contains(cdrs, c => c.CallerDisplayName.Contains('\n', StringComparison.Ordinal) || c.CalleeDisplayName.Contains('\n', StringComparison.Ordinal));
        Assert.Contains(cdrs, c => c.CalleeDisplayName.Contains('"', StringComparison.Ordinal) || c.CallerDisplayName.Contains('"', StringComparison.Ordinal));
        Assert.Contains(cdrs, c => c.Trunk.Length > 0 && c.DidCid.Length > 0 && c.Direction == "INBOUND_CALL");
        Assert.All(cdrs.Where(c => c.Direction == "EXTENSION_CALL"), c => Assert.Equal("", c.Trunk));
        Assert.Contains(cdrs, c => c.Duration > 3600);
    }

    [Fact]
    public void Missed_calls_have_empty_answered_at_zero_duration_and_a_failure_status()
    {
        PbxData data = Generate(6);
        SimCdr[] missed = [.. data.Cdrs.Where(c => !c.IsAnswered)];

        Assert.InRange(missed.Length, data.Cdrs.Count / 6, data.Cdrs.Count / 3);
        Assert.All(missed, c =>
        {
            JsonObject json = c.ToListJson();
            Assert.Equal("", (string)json["answered_at"]!);
            Assert.Equal(0, (int)json["duration"]!);
            Assert.Contains((int)json["status_code"]!, new[] { 486, 487, 480, 408 });
            Assert.Contains((string)json["end_reason"]!, new[] { "", "CANCELLED" });
        });
        Assert.All(data.Cdrs.Where(c => c.IsAnswered), c => Assert.Equal(0, c.StatusCode));
        Assert.DoesNotContain(data.Cdrs.SelectMany(c => c.ToDetailJson()), p => p.Value is null);
    }

    [Fact]
    public void Timestamps_use_zero_to_six_fraction_digits_and_round_trip()
    {
        PbxData data = Generate(8);
        string[] texts = [.. data.Cdrs.Select(c => (string)c.ToListJson()["started_at"]!)];

        int[] digits = [.. texts.Select(t => t.Contains('.', StringComparison.Ordinal) ? t.Length - t.IndexOf('.', StringComparison.Ordinal) - 2 : 0).Distinct().Order()];
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], digits);
        Assert.All(texts, t => Assert.EndsWith("Z", t, StringComparison.Ordinal));
        Assert.All(data.Cdrs, c =>
        {
            Assert.True(PortSipTimestamp.TryParse(PortSipTimestamp.Format(c.EndedAt), out DateTimeOffset parsed));
            Assert.Equal(c.EndedAt, parsed);
        });
    }

    [Fact]
    public void Recordings_follow_the_portsip_file_name_pattern_and_a_few_do_not_carry_the_cdr_id()
    {
        PbxData data = Generate(9, 6000);
        SimRecording[] recordings = [.. data.Recordings];
        int answered = data.Cdrs.Count(c => c.IsAnswered);

        Assert.InRange(recordings.Length, (int)(answered * 0.75), (int)(answered * 0.85));
        SimRecording[] linked = [.. recordings.Where(r => r.FileName.Split('_')[1] == r.CdrId)];
        Assert.All(linked, r => Assert.Matches($"^{r.Id}_{r.CdrId}_{System.Text.RegularExpressions.Regex.Escape(r.Caller)}_[0-9]{{5}}_[0-9]{{8}}_[0-9]{{6}}\\.(wav|mp3)$", r.FileName));
        double unlinkedShare = (recordings.Length - linked.Length) / (double)recordings.Length;
        Assert.InRange(unlinkedShare, 0.01, 0.06);
        Assert.All(recordings.Except(linked), r => Assert.DoesNotContain(r.CdrId, r.FileName, StringComparison.Ordinal));
        double zeroShare = recordings.Count(r => r.ReportedFileSize == 0) / (double)recordings.Length;
        Assert.InRange(zeroShare, 0.25, 0.42);
        Assert.All(recordings.Where(r => r.ReportedFileSize != 0), r => Assert.Equal(r.Size, r.ReportedFileSize));
        Assert.All(recordings, r => Assert.InRange(r.Size, 4_000, 200_100));
        Assert.Contains(recordings, r => r.IsMp3);
    }

    [Fact]
    public void File_name_date_is_the_cdr_start_in_the_pbx_local_time()
    {
        SimRecording recording = Generate(10).Recordings.First(r => r.FileName.Split('_')[1] == r.CdrId);
        SimCdr cdr = Generate(10).FindCdr(recording.CdrId)!;

        DateTimeOffset local = cdr.StartedAt.ToOffset(TimeSpan.FromHours(8));
        Assert.EndsWith($"_{local:MMddyyyy}_{local:HHmmss}.wav", recording.FileName.Replace(".mp3", ".wav", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_recording_size_function_is_used()
    {
        PbxData data = CallGenerator.Generate(new GenerationOptions { Seed = 1, CallCount = 100, RecordingSize = r => 44 + (r.Duration * 16_000L) });

        Assert.All(data.Recordings, r => Assert.Equal(44 + (r.Duration * 16_000L), r.Size));
    }
}
