using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using PortSipArchive.Archive;
using PortSipArchive.Storage;

namespace PortSipArchive.Recordings;

/// <summary>The private container recordings are archived in (<c>Archive__RecordingsContainer</c>), created on first use without public access.</summary>
public sealed class RecordingContainer
{
    private readonly Lock _gate = new();
    private Task? _creation;

    public RecordingContainer(StorageConnection storage, ArchiveSettings settings)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(settings);
        Client = storage.CreateBlobServiceClient().GetBlobContainerClient(settings.RecordingsContainer);
    }

    public BlobContainerClient Client { get; }

    public Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
            {
                _creation = Client.CreateIfNotExistsAsync(PublicAccessType.None, cancellationToken: cancellationToken);
            }

            return _creation;
        }
    }
}
