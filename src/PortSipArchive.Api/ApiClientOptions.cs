using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace PortSipArchive.Api;

/// <summary>
/// The SDK client options the API's table and blob clients are built with. Tests and the benchmark add an
/// <see cref="Azure.Core.Pipeline.HttpPipelinePolicy"/> here to see every request the API sends.
/// </summary>
public sealed class ApiClientOptions
{
    public TableClientOptions Tables { get; init; } = new();

    public BlobClientOptions Blobs { get; init; } = new();
}
