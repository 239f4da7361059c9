using System.Globalization;
using System.Text.Json;

namespace PortSipArchive.Local;

/// <summary>The URLs a new user can try once the local run is up (no function key is needed locally).</summary>
internal static class LocalUrls
{
    public static void Print(string baseUrl, DateTimeOffset now)
    {
        var today = now.UtcDateTime.Date;
        string Day(DateTime d) => d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var from = Day(today.AddDays(-1));
        var to = Day(today);
        Console.WriteLine($"""
            HTTP API on {baseUrl} — try (the first sync takes a few seconds):
              a day of CDRs     {baseUrl}/api/cdrs?from={from}&to={to}
              the same as CSV   {baseUrl}/api/cdrs?from={from}&to={to}&format=csv
              one extension     {baseUrl}/api/cdrs?from={Day(today.AddDays(-7))}&to={to}&extension=101
              daily statistics  {baseUrl}/api/stats/daily?from={Day(today.AddDays(-7))}&to={to}
              recordings        {baseUrl}/api/recordings?from={from}&to={to}&status=archived
              sync status       {baseUrl}/api/status
              OpenAPI           {baseUrl}/api/openapi.json

            """);
    }

    /// <summary>Waits until the first recording of the last day is archived and prints its content URL.</summary>
    public static async Task PrintFirstRecordingAsync(string baseUrl, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var list = $"{baseUrl}/api/recordings?from={now.AddDays(-1).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}&to={now.AddMinutes(1).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}&status=archived&pageSize=1";
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(3));
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            try
            {
                using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri(list), cancellationToken));
                var first = doc.RootElement.GetProperty("value").EnumerateArray().FirstOrDefault();
                if (first.ValueKind == JsonValueKind.Object && first.TryGetProperty("id", out var id))
                {
                    Console.WriteLine($"  a recording       {baseUrl}/api/recordings/{id.GetString()}/content{Environment.NewLine}");
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // The API is starting or the first sync has not finished; try again.
            }
        }
    }
}
