namespace PortSip.Simulator;

/// <summary>
/// The people and numbers a generated tenant has: extensions 100-149 with display names that test
/// a client's text handling (accents, CJK, quotes, commas, a newline), trunks with their DIDs, and
/// external numbers.
/// </summary>
internal sealed class CallDirectory
{
    public const int FirstExtension = 100;
    public const int ExtensionCount = 50;

    private static readonly string[] SpecialNames =
    [
        "Zoë Müller", "José Ñúñez", "山田太郎", "Kelly Cruickshank", "Lucas Heidenreich", "Dwayne Turcotte",
        "O'Brien, Siobhán", "Robert \"Bobby\" Tables", "François Lefèvre", "Ångström, Åsa", "Łukasz Wąsik",
        "Иван Петров", "Αλέξανδρος Παπαδόπουλος", "محمد علي", "김민준", "Nguyễn Văn An", "Dr. Jane Smith, PhD",
        "Reception\nFront Desk", "Çağla Öztürk", "Björn Þórsson", "李小龙", "Mary-Jane \"MJ\" Watson", "",
    ];

    private static readonly string[] FirstNames =
    [
        "Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Greta", "Hugo", "Ines", "Jonas", "Kai", "Lena", "Mateo", "Nora",
    ];

    private static readonly string[] LastNames = ["Schmidt", "García", "Rossi", "Dubois", "Kowalski", "Jensen", "Brown"];

    private static readonly string[] ExternalNames =
    [
        "", "", "", "WIRELESS CALLER", "SMITH, JOHN", "Müller GmbH", "\"Acme\" Support", "Ørsted A/S", "株式会社テスト",
    ];

    private readonly Random _random;
    private readonly string _tenantDomain;

    public CallDirectory(Random random, string tenantDomain)
    {
        _random = random;
        _tenantDomain = tenantDomain;
    }

    public string TenantDomain => _tenantDomain;

    public static IReadOnlyList<Trunk> Trunks { get; } =
    [
        new("Twilio-US", "sim-pbx.pstn.twilio.example", ["14155550100", "14155550101", "14155550188"]),
        new("Sipgate DE", "sipconnect.sipgate.example", ["4930120001", "4930120002"]),
        new("BT SIPLink", "siplink.bt.example", ["442079460000"]),
    ];

    /// <summary>The display name of an extension; the same extension always has the same name.</summary>
    public static string DisplayNameOf(string extension)
    {
        int index = int.Parse(extension, System.Globalization.CultureInfo.InvariantCulture) - FirstExtension;
        if (index < SpecialNames.Length)
        {
            return SpecialNames[index];
        }

        int n = index - SpecialNames.Length;
        return FirstNames[n % FirstNames.Length] + " " + LastNames[n % LastNames.Length];
    }

    public string RandomExtension() =>
        (FirstExtension + _random.Next(ExtensionCount)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string OtherExtension(string extension)
    {
        string other;
        do
        {
            other = RandomExtension();
        }
        while (other == extension);
        return other;
    }

    public Trunk RandomTrunk() => Trunks[_random.Next(Trunks.Count)];

    /// <summary>An external number as a trunk delivers it: digits only, sometimes with '+', rarely "anonymous".</summary>
    public string RandomExternalNumber()
    {
        double roll = _random.NextDouble();
        if (roll < 0.02)
        {
            return "anonymous";
        }

        string number = _random.Next(3) switch
        {
            0 => "1" + Digits(10),
            1 => "49" + Digits(9),
            _ => "44" + Digits(10),
        };
        return roll < 0.12 ? "+" + number : number;
    }

    public string ExternalDisplayName(string number) =>
        number == "anonymous" ? "Anonymous" : ExternalNames[_random.Next(ExternalNames.Length)];

    /// <summary>A SIP Call-ID in one of the two shapes PortSIP shows ("JooRSqaUcdwZnsD7DNgA3Q.." or "id@host").</summary>
    public string RandomCallId() =>
        _random.Next(4) == 0 ? Token(16).ToLowerInvariant() + "@" + _tenantDomain : Token(22) + "..";

    /// <summary>A URL-safe random token like the PBX's blob tokens.</summary>
    public string Token(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return string.Create(length, _random, (span, random) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[random.Next(alphabet.Length)];
            }
        });
    }

    public string Digits(int count) => string.Create(count, _random, (span, random) =>
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (char)('0' + random.Next(10));
        }
    });

    internal sealed record Trunk(string Name, string Host, IReadOnlyList<string> Dids);
}
