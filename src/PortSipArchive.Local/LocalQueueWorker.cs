using Azure.Storage.Queues.Models;
using Azure.Storage.Queues.Specialized;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PortSipArchive.Archive;
using PortSipArchive.Recordings;

namespace PortSipArchive.Local;

/// <summary>
/// Drains the recordings queue in Azurite the way the Functions host does for <c>ArchiveRecording</c>: up to
/// batchSize messages at once, each handed to the same <see cref="RecordingArchiver"/> with its dequeue count; a
/// message is deleted when the archiver returns, left to reappear after visibilityTimeout when it throws, and moved to
/// <c>&lt;queue&gt;-poison</c> after maxDequeueCount attempts (settings read from host.json).
/// </summary>
internal sealed partial class LocalQueueWorker(ArchiveTables tables, RecordingArchiver archiver, ILogger<LocalQueueWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = HostJsonQueueSettings.Load();
        var queue = tables.RecordingsQueue;
        var poison = queue.GetParentQueueServiceClient().GetQueueClient(queue.Name + "-poison");
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        var idle = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] batch = await queue.ReceiveMessagesAsync(Math.Clamp(settings.BatchSize, 1, 32), TimeSpan.FromMinutes(10), stoppingToken);
            if (batch.Length == 0)
            {
                await Task.Delay(idle, stoppingToken);
                idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, settings.MaxPollingInterval.Ticks));
                continue;
            }

            idle = TimeSpan.FromMilliseconds(100);
            await Parallel.ForEachAsync(batch, stoppingToken, async (message, ct) =>
            {
                try
                {
                    await archiver.ArchiveAsync(message.Body.ToString(), message.DequeueCount, ct);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested)
                {
                    if (message.DequeueCount >= settings.MaxDequeueCount)
                    {
                        await poison.CreateIfNotExistsAsync(cancellationToken: ct);
                        await poison.SendMessageAsync(message.Body, timeToLive: TimeSpan.FromSeconds(-1), cancellationToken: ct);
                        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
                        LogPoisoned(logger, message.MessageId, message.DequeueCount, ex.Message);
                    }
                    else
                    {
                        await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: ct);
                    }
                }
            });
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Recording message {MessageId} failed {Attempts} times and was moved to the poison queue: {Reason}")]
    private static partial void LogPoisoned(ILogger logger, string messageId, long attempts, string reason);
}
