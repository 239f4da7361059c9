using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PortSipArchive.Benchmarks;

/// <summary>Sees every request of the API's table clients: the PartitionKey each query pins.</summary>
internal sealed partial class PartitionCapture : HttpPipelinePolicy
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _partitions = new(StringComparer.Ordinal);
    private int _requests;

    public int Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests;
            }
        }
    }

    public int DistinctPartitions
    {
        get
        {
            lock (_gate)
            {
                return _partitions.Count;
            }
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _requests = 0;
            _partitions.Clear();
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message)
    {
        var query = Uri.UnescapeDataString(message.Request.Uri.Query.Replace('+', ' '));
        lock (_gate)
        {
            _requests++;
            foreach (Match m in PartitionEq().Matches(query))
            {
                _partitions.Add(m.Groups[1].Value);
            }
        }
    }

    [GeneratedRegex("PartitionKey eq '((?:[^']|'')*)'")]
    private static partial Regex PartitionEq();
}
