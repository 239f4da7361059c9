using System.Text.Json;

namespace PortSipArchive.Local;

/// <summary>
/// The queue behaviour host.json gives the Functions host (<c>extensions.queues</c>), read from the same file so the
/// local run retries and poisons messages exactly as Azure would.
/// </summary>
internal sealed record HostJsonQueueSettings(int BatchSize, int MaxDequeueCount, TimeSpan VisibilityTimeout, TimeSpan MaxPollingInterval)
{
    public static HostJsonQueueSettings Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "host.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var queues = doc.RootElement.TryGetProperty("extensions", out var e) && e.TryGetProperty("queues", out var q) ? q : default;
        int Int(string name, int fallback) => queues.ValueKind == JsonValueKind.Object && queues.TryGetProperty(name, out var v) && v.TryGetInt32(out var i) ? i : fallback;
        TimeSpan Time(string name, TimeSpan fallback) =>
            queues.ValueKind == JsonValueKind.Object && queues.TryGetProperty(name, out var v) && TimeSpan.TryParse(v.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : fallback;
        return new HostJsonQueueSettings(Int("batchSize", 16), Int("maxDequeueCount", 5), Time("visibilityTimeout", TimeSpan.Zero), Time("maxPollingInterval", TimeSpan.FromMinutes(1)));
    }
}
