using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using PortSipArchive.Recordings;

namespace PortSipArchive.Functions;

/// <summary>
/// Archives one recording per message of the RECORDINGS_QUEUE queue. It only calls the service: an exception makes the
/// host retry the message (host.json maxDequeueCount); the dequeue count tells the service when it is the last attempt.
/// </summary>
public sealed class ArchiveRecording(RecordingArchiver archiver)
{
    [Function(nameof(ArchiveRecording))]
    public async Task Run([QueueTrigger("%RECORDINGS_QUEUE%", Connection = "AzureWebJobsStorage")] QueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await archiver.ArchiveAsync(message.Body.ToString(), message.DequeueCount, cancellationToken);
    }
}
