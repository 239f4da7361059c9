using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using PortSip.Simulator;

namespace PortSipArchive.Tests.Simulator;

public class SimulatorVisibilityTests
{
    private static SimCdr LateCdr(string id, DateTimeOffset startedAt, DateTimeOffset endedAt) => new()
    {
        Id = id,
        Caller = "120",
        Callee = "121",
        StartedAt = startedAt,
        RangAt = startedAt.AddMilliseconds(30),
        AnsweredAt = startedAt.AddSeconds(3),
        EndedAt = endedAt,
        Duration = (int)Math.Ceiling((endedAt - startedAt.AddSeconds(3)).TotalSeconds),
        EndReason = "CALLER_DISCONNECT",
    };

    [Fact]
    public async Task A_cdr_is_listed_only_once_ended_at_plus_the_visibility_delay_has_passed()
    {
        await using PbxSession s = await PbxSession.StartAsync(fakeClock: true);
        string token = await s.SignInAsync();
        DateTimeOffset now = s.Clock!.GetUtcNow();
        SimCdr longCall = LateCdr("999000000000000001", now.AddHours(-5), now.AddSeconds(-30));
        s.Pbx.Data.AddCdr(longCall);
        int before = (int)(await s.GetOkAsync("api/cdrs?top=1", token))["count"]!;

        Assert.DoesNotContain(longCall, s.Pbx.VisibleCdrs());
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync($"api/cdrs/{longCall.Id}", token)).Status);

        s.Clock.Advance(TimeSpan.FromSeconds(89));
        Assert.Equal(before, (int)(await s.GetOkAsync("api/cdrs?top=1", token))["count"]!);

        s.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(before + 1, (int)(await s.GetOkAsync("api/cdrs?top=1", token))["count"]!);
        string filter = Uri.EscapeDataString($"started_at ge '{PortSipTimestamp.Format(longCall.StartedAt)}' and started_at le '{PortSipTimestamp.Format(longCall.StartedAt)}'");
        JsonObject page = await s.GetOkAsync($"api/cdrs?filter={filter}", token);
        Assert.Equal(longCall.Id, (string)page["items"]![0]!["id"]!);
        Assert.Contains(longCall, s.Pbx.VisibleCdrs());
    }

    [Fact]
    public async Task Generated_calls_still_in_progress_at_the_pbx_time_are_not_listed()
    {
        DateTimeOffset middle = new(2024, 8, 15, 12, 0, 0, TimeSpan.Zero);
        await using PbxSession s = await PbxSession.StartAsync(o =>
        {
            o.VisibilityDelay = TimeSpan.FromMinutes(5);
            o.TimeProvider = new FakeTimeProvider(middle);
        });
        string token = await s.SignInAsync();

        List<JsonObject> items = await s.ReadAllAsync("api/cdrs", token);
        List<JsonObject> recordings = await s.ReadAllAsync("api/recordings", token);

        string[] expected = [.. s.Pbx.Data.Cdrs.Where(c => c.EndedAt.AddMinutes(5) <= middle).Select(c => c.Id)];
        Assert.InRange(expected.Length, 1, s.Pbx.Data.Cdrs.Count - 1);
        Assert.Equal(expected, items.Select(i => (string)i["id"]!));
        Assert.All(recordings, r => Assert.Contains(s.Pbx.Data.FindRecording((string)r["id"]!)!.CdrId, expected));
    }

    [Fact]
    public async Task A_regular_user_sees_only_calls_of_their_own_extension()
    {
        await using PbxSession s = await PbxSession.StartAsync(calls: 600);
        string token = await s.SignInAsync("user101", "user-secret");

        List<JsonObject> cdrs = await s.ReadAllAsync("api/cdrs", token);
        List<JsonObject> recordings = await s.ReadAllAsync("api/recordings", token);

        string[] own = [.. s.Pbx.Data.Cdrs.Where(c => c.Caller == "101" || c.Callee == "101").Select(c => c.Id)];
        Assert.NotEmpty(own);
        Assert.True(own.Length < s.Pbx.Data.Cdrs.Count / 5);
        Assert.Equal(own, cdrs.Select(c => (string)c["id"]!));
        Assert.NotEmpty(recordings);
        Assert.All(recordings, r => Assert.True((string)r["caller"]! == "101" || (string)r["callee"]! == "101"));

        SimCdr someoneElses = s.Pbx.Data.Cdrs.First(c => c.Caller != "101" && c.Callee != "101");
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync($"api/cdrs/{someoneElses.Id}", token)).Status);
        SimRecording otherRecording = s.Pbx.Data.Recordings.First(r => r.Caller != "101" && r.Callee != "101");
        Assert.Equal(HttpStatusCode.NotFound, (await s.GetAsync($"api/recordings/{otherRecording.Id}", token)).Status);
    }

    [Theory]
    [InlineData(SimAccount.QueueManagerRole)]
    [InlineData(SimAccount.SystemAdminRole)]
    public async Task Queue_managers_and_system_admins_see_the_whole_tenant(string role)
    {
        await using PbxSession s = await PbxSession.StartAsync(o => o.Accounts.Add(new SimAccount("boss", "pw", PbxSession.Domain, role, "130")));
        string token = await s.SignInAsync("boss", "pw");

        JsonObject page = await s.GetOkAsync("api/cdrs?top=1", token);

        Assert.Equal(s.Pbx.Data.Cdrs.Count, (int)page["count"]!);
    }
}
