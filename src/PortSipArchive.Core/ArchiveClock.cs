namespace PortSipArchive;

/// <summary>
/// The key of the <see cref="TimeProvider"/> the product reads "now" from (token expiry, sync windows). It defaults
/// to the registered <see cref="TimeProvider"/>; tests put the simulated PBX's clock there, while the HTTP
/// resilience pipeline (retry delays, timeouts) keeps running on real time.
/// </summary>
public static class ArchiveClock
{
    public const string Key = "archive-clock";
}
