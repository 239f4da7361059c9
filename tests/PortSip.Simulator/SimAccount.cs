namespace PortSip.Simulator;

/// <summary>
/// A PBX account that can log in. <paramref name="Domain"/> is the tenant SIP domain (null for a system
/// user, who logs in without one). <paramref name="Role"/> is a PortSIP role name such as "Admin",
/// "QueueManager", "SystemAdmin" or "StandardUser"; <paramref name="Extension"/> limits what a
/// regular user sees.
/// </summary>
public sealed record SimAccount(string Username, string Password, string? Domain, string Role, string? Extension)
{
    public const string AdminRole = "Admin";
    public const string QueueManagerRole = "QueueManager";
    public const string SystemAdminRole = "SystemAdmin";
    public const string StandardUserRole = "StandardUser";

    /// <summary>Admin, QueueManager and SystemAdmin see the whole tenant; every other role sees only its own calls.</summary>
    public bool SeesWholeTenant =>
        Role is AdminRole or QueueManagerRole or SystemAdminRole;

    public bool IsParty(string caller, string callee) =>
        SeesWholeTenant || (Extension is { Length: > 0 } ext && (caller == ext || callee == ext));
}
