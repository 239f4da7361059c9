using Microsoft.Extensions.Logging;

namespace PortSip.Simulator;

/// <summary>How a <see cref="SimulatedPbx"/> is started.</summary>
public sealed class SimulatorOptions
{
    public const string DefaultTenantDomain = "sim.portsip.local";

    /// <summary>TCP port on 127.0.0.1; 0 picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>The PBX clock: token expiry and CDR visibility are measured on it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The calls to serve; when null they are generated from <see cref="Generation"/>.</summary>
    public PbxData? Data { get; set; }

    public GenerationOptions Generation { get; set; } = new();

    /// <summary>Who can log in. Defaults: tenant Admin "admin"/"admin-secret" and StandardUser "user101"/"user-secret" (extension 101).</summary>
    public IList<SimAccount> Accounts { get; init; } =
    [
        new("admin", "admin-secret", DefaultTenantDomain, SimAccount.AdminRole, null),
        new("user101", "user-secret", DefaultTenantDomain, SimAccount.StandardUserRole, "101"),
    ];

    /// <summary>A CDR (and its recording) is listed only once <c>ended_at + VisibilityDelay &lt;= now</c>.</summary>
    public TimeSpan VisibilityDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The tenant's SIP domain, used for extension calls when the data is generated.</summary>
    public string TenantDomain { get; set; } = DefaultTenantDomain;

    /// <summary>Minimum level of the host's console log (Kestrel included); Warning keeps test output quiet.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;
}
