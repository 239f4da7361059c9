using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PortSipArchive.Tests.Query;

/// <summary>Records every request the API's storage clients send (added to <see cref="Api.ApiClientOptions"/>).</summary>
internal sealed partial class RequestCapture : HttpPipelinePolicy
{
    public ConcurrentQueue<Uri> Requests { get; } = new();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Requests.Enqueue(message.Request.Uri.ToUri());
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Requests.Enqueue(message.Request.Uri.ToUri());
        return ProcessNextAsync(message, pipeline);
    }

    public void Clear() => Requests.Clear();

    /// <summary>Table requests that are neither a point read nor a query whose $filter starts with <c>PartitionKey eq '…'</c> followed by 'and' or the end.</summary>
    public List<string> UnpinnedTableRequests(string tableHost)
    {
        var bad = new List<string>();
        foreach (var uri in Requests.Where(u => u.Authority == tableHost))
        {
            var path = Uri.UnescapeDataString(uri.AbsolutePath);
            if (PointRead().IsMatch(path))
            {
                continue;
            }

            var filter = System.Web.HttpUtility.ParseQueryString(uri.Query)["$filter"];
            if (filter is null || !Pinned().IsMatch(filter))
            {
                bad.Add(uri.ToString());
            }
        }

        return bad;
    }

    /// <summary>The PartitionKey values the table queries pinned.</summary>
    public List<string> QueriedPartitions(string tableHost) =>
        [.. Requests.Where(u => u.Authority == tableHost)
            .Select(u => System.Web.HttpUtility.ParseQueryString(u.Query)["$filter"])
            .Where(f => f is not null)
            .Select(f => Pinned().Match(f!))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal))];

    [GeneratedRegex(@"\(PartitionKey='(?:[^']|'')*',RowKey='(?:[^']|'')*'\)$")]
    private static partial Regex PointRead();

    [GeneratedRegex(@"^PartitionKey eq '((?:[^']|'')*)'(?: and |$)")]
    private static partial Regex Pinned();
}
