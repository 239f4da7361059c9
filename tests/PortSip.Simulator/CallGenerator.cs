using System.Globalization;

namespace PortSip.Simulator;

/// <summary>
/// Generates a realistic, deterministic set of CDRs and recordings: the same options (seed included)
/// always give the same data.
/// </summary>
public static class CallGenerator
{
    private static readonly string[] AnsweredEndReasons =
    [
        "CALLER_DISCONNECT", "CALLER_DISCONNECTED", "CALLER_DISCONNECTED", "CALLEE_DISCONNECTED", "CALLEE_DISCONNECTED",
        "CALLEE_DISCONNECTED", "BLIND_TRANSFER_COMPLETED", "CONSULT_TRANSFER_COMPLETED", "REPLACED", "REFERRED", "REDIRECTED",
    ];

    private static readonly string[] RerouteReasons =
    [
        "TRANSFER", "OVERFLOW", "QUEUE_EXIT", "FORWARDING_NO_ANSWER", "FORWARDING_BUSY", "FORWARDING_UNCONDITIONAL",
    ];

    private static readonly int[] MissedStatusCodes = [486, 487, 487, 480, 408];

    public static PbxData Generate(GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.CallCount);
        if (options.To <= options.From)
        {
            throw new ArgumentException("GenerationOptions.To must be after From.", nameof(options));
        }

        var random = new Random(options.Seed);
        var directory = new CallDirectory(random, options.TenantDomain ?? SimulatorOptions.DefaultTenantDomain);
        var mint = new SnowflakeMint();
        long spanTicks = (options.To - options.From).Ticks;
        DateTimeOffset[] starts = new DateTimeOffset[options.CallCount];
        for (int i = 0; i < starts.Length; i++)
        {
            starts[i] = options.From.AddTicks((long)(random.NextDouble() * spanTicks));
        }

        Array.Sort(starts);
        var cdrs = new List<SimCdr>(starts.Length);
        var recordings = new List<SimRecording>();
        foreach (DateTimeOffset start in starts)
        {
            SimCdr cdr = NewCdr(start, options, random, directory, mint);
            cdrs.Add(cdr);
            if (cdr.IsAnswered && random.NextDouble() < options.RecordedShare)
            {
                recordings.Add(NewRecording(cdr, options, random, directory, mint));
            }
        }

        return new PbxData(cdrs, recordings);
    }

    private static SimCdr NewCdr(DateTimeOffset start, GenerationOptions options, Random random, CallDirectory directory, SnowflakeMint mint)
    {
        TimeSpan unit = RandomPrecision(random);
        DateTimeOffset startedAt = Truncate(start, unit);
        bool answered = random.NextDouble() >= options.MissedShare;
        int statusCode = answered ? 0 : MissedStatusCodes[random.Next(MissedStatusCodes.Length)];
        DateTimeOffset? rangAt = statusCode == 480 && random.Next(2) == 0
            ? null
            : Truncate(startedAt.AddMilliseconds(5 + (random.NextDouble() * 300)), unit);
        DateTimeOffset? answeredAt = null;
        DateTimeOffset endedAt;
        int duration = 0;
        string endReason = "";
        if (answered)
        {
            answeredAt = Truncate((rangAt ?? startedAt).AddSeconds(0.5 + (random.NextDouble() * 20)), unit);
            endedAt = Truncate(answeredAt.Value + TalkTime(options, random), unit);
            duration = (int)Math.Ceiling((endedAt - answeredAt.Value).TotalSeconds);
            endReason = AnsweredEndReasons[random.Next(AnsweredEndReasons.Length)];
        }
        else
        {
            endedAt = Truncate((rangAt ?? startedAt).AddSeconds(0.2 + (random.NextDouble() * 30)), unit);
            endReason = statusCode == 487 && random.Next(4) != 0 ? "CANCELLED" : "";
        }

        SimCdr cdr = new()
        {
            Id = mint.Next(startedAt),
            Caller = "",
            Callee = "",
            StartedAt = startedAt,
            RangAt = rangAt,
            AnsweredAt = answeredAt,
            EndedAt = endedAt,
            CallId = directory.RandomCallId(),
            EndReason = endReason,
            RerouteReason = random.NextDouble() < 0.1 ? RerouteReasons[random.Next(RerouteReasons.Length)] : "",
            StatusCode = statusCode,
            Duration = duration,
        };
        cdr = WithParties(cdr, random, directory);
        if (random.NextDouble() < 0.05)
        {
            cdr = cdr with { ServiceNumber = "8000", UserData = "abc" };
        }

        return cdr;
    }

    private static SimCdr WithParties(SimCdr cdr, Random random, CallDirectory directory)
    {
        double roll = random.NextDouble();
        string domain = directory.TenantDomain;
        if (roll < 0.35)
        {
            string caller = directory.RandomExtension();
            string callee = directory.OtherExtension(caller);
            return cdr with
            {
                Direction = "EXTENSION_CALL",
                Caller = caller, CallerDomain = domain, CallerDisplayName = CallDirectory.DisplayNameOf(caller),
                Callee = callee, CalleeDomain = domain, CalleeDisplayName = CallDirectory.DisplayNameOf(callee),
            };
        }

        CallDirectory.Trunk trunk = directory.RandomTrunk();
        string did = trunk.Dids[random.Next(trunk.Dids.Count)];
        if (roll < 0.70)
        {
            string caller = directory.RandomExternalNumber();
            string callee = directory.RandomExtension();
            return cdr with
            {
                Direction = "INBOUND_CALL",
                Caller = caller, CallerDomain = trunk.Host, CallerDisplayName = directory.ExternalDisplayName(caller),
                Callee = callee, CalleeDomain = domain, CalleeDisplayName = CallDirectory.DisplayNameOf(callee),
                DidCid = did, Trunk = trunk.Name,
            };
        }

        if (roll < 0.95)
        {
            string caller = directory.RandomExtension();
            string callee = directory.RandomExternalNumber().Replace("anonymous", "18005550199", StringComparison.Ordinal);
            return cdr with
            {
                Direction = "OUTBOUND_CALL",
                Caller = caller, CallerDomain = domain, CallerDisplayName = CallDirectory.DisplayNameOf(caller),
                Callee = callee, CalleeDomain = trunk.Host, CalleeDisplayName = "",
                Destination = callee, OutboundCallerId = did, Trunk = trunk.Name,
                Cost = cdr.IsAnswered ? Math.Round(cdr.Duration / 60.0 * 0.012, 4) : 0,
                BilledAccount = cdr.IsAnswered ? caller : "",
            };
        }

        string from = directory.RandomExternalNumber();
        string forwardedTo = directory.RandomExternalNumber().Replace("anonymous", "18005550123", StringComparison.Ordinal);
        return cdr with
        {
            Direction = "INBOUND_OUTBOUND_CALL",
            Caller = from, CallerDomain = trunk.Host, CallerDisplayName = directory.ExternalDisplayName(from),
            Callee = forwardedTo, CalleeDomain = trunk.Host, CalleeDisplayName = "",
            Destination = forwardedTo, OutboundCallerId = did, DidCid = did, Trunk = trunk.Name,
            RerouteReason = "FORWARDING_UNCONDITIONAL",
        };
    }

    private static SimRecording NewRecording(SimCdr cdr, GenerationOptions options, Random random, CallDirectory directory, SnowflakeMint mint)
    {
        string id = mint.Next(cdr.StartedAt);
        DateTimeOffset startedAt = Truncate(cdr.AnsweredAt!.Value.AddMilliseconds(20 + random.Next(200)), TimeSpan.FromMilliseconds(1));
        DateTimeOffset endedAt = Truncate(cdr.EndedAt.AddMilliseconds(random.Next(10)), TimeSpan.FromMilliseconds(1));
        if (endedAt < startedAt)
        {
            endedAt = startedAt;
        }

        DateTimeOffset local = cdr.StartedAt.ToOffset(options.FileNameUtcOffset);
        string date = local.ToString("MMddyyyy", CultureInfo.InvariantCulture);
        string time = local.ToString("HHmmss", CultureInfo.InvariantCulture);
        string extension = random.NextDouble() < options.Mp3Share ? ".mp3" : ".wav";
        string fileName = random.NextDouble() < options.UnlinkedFileNameShare
            ? $"{id}_{cdr.Caller}_{date}_{time}{extension}"
            : $"{id}_{cdr.Id}_{cdr.Caller}_{directory.Digits(5)}_{date}_{time}{extension}";
        bool reportsZero = random.NextDouble() < options.ZeroReportedSizeShare;
        var recording = new SimRecording(
            id, cdr.Id, cdr.Caller, cdr.Callee, startedAt, endedAt, (int)(endedAt - startedAt).TotalSeconds,
            fileName, 0, 0, directory.Token(32));
        long size = options.RecordingSize?.Invoke(recording) ?? DefaultSize(recording);
        return recording with { Size = size, ReportedFileSize = reportsZero ? 0 : size };
    }

    /// <summary>Between about 4 KB and 200 KB, even (whole 16-bit samples), from the recording id.</summary>
    public static long DefaultSize(SimRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        ulong hash = RecordingAudio.Mix(RecordingAudio.SeedOf(recording.Id));
        long size = 4_000 + (long)(hash % 196_000UL);
        return size - (size % 2) + RecordingAudio.WavHeaderSize;
    }

    private static TimeSpan TalkTime(GenerationOptions options, Random random)
    {
        if (random.NextDouble() < options.LongCallShare)
        {
            return TimeSpan.FromHours(1 + (random.NextDouble() * 7));
        }

        double seconds = Math.Exp(Math.Log(2) + (random.NextDouble() * (Math.Log(1800) - Math.Log(2))));
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Microseconds mostly; sometimes milliseconds, hundredths or whole seconds, so 0-6 fraction digits appear.</summary>
    private static TimeSpan RandomPrecision(Random random) => random.NextDouble() switch
    {
        < 0.55 => TimeSpan.FromTicks(10),
        < 0.75 => TimeSpan.FromMilliseconds(1),
        < 0.85 => TimeSpan.FromMilliseconds(10),
        _ => TimeSpan.FromSeconds(1),
    };

    private static DateTimeOffset Truncate(DateTimeOffset value, TimeSpan unit) =>
        new(value.UtcTicks - (value.UtcTicks % unit.Ticks), TimeSpan.Zero);
}
