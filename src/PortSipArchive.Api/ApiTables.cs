using Azure.Data.Tables;
using Azure.Storage.Blobs;
using PortSipArchive.Archive;
using PortSipArchive.Storage;

namespace PortSipArchive.Api;

/// <summary>
/// The archive's tables and recordings container as the API reads them, built with <see cref="ApiClientOptions"/>
/// (the sync's own clients are not used, so a test's request capture sees exactly what the API sends).
/// </summary>
public sealed class ApiTables
{
    public ApiTables(StorageConnection storage, ArchiveSettings settings, ApiClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        var tables = storage.ConnectionString is { } cs
            ? new TableServiceClient(cs, options.Tables)
            : new TableServiceClient(storage.TableEndpoint, storage.Credential, options.Tables);
        var blobs = storage.ConnectionString is { } bcs
            ? new BlobServiceClient(bcs, options.Blobs)
            : new BlobServiceClient(storage.BlobEndpoint, storage.Credential, options.Blobs);
        Archive = new ArchiveTables(tables, storage.CreateQueueServiceClient(), settings);
        RecordingsContainer = blobs.GetBlobContainerClient(settings.RecordingsContainer);
    }

    /// <summary>The archive's tables, through the API's own clients.</summary>
    public ArchiveTables Archive { get; }

    public BlobContainerClient RecordingsContainer { get; }
}
