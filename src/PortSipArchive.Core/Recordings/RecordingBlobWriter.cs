using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace PortSipArchive.Recordings;

/// <summary>What the download must add up to: <c>Content-Length</c> when the PBX sent one, <c>file_size</c> when above 0.</summary>
public readonly record struct ExpectedSize(long? ContentLength, long ReportedFileSize);

/// <summary>The outcome of a create-only upload: <see cref="Created"/> is false when the blob already existed (nothing was changed).</summary>
public sealed record BlobWriteResult(bool Created, long Size, string Sha256);

/// <summary>
/// Streams a download into a new block blob: each block is staged while the next one fills (a bounded number in
/// flight, pooled buffers), SHA-256 and the byte count are computed on the way, and the block list is committed with
/// <c>If-None-Match: *</c> only after the count matched what the PBX announced. A short or broken download throws
/// and commits nothing (staged blocks stay uncommitted and expire); an existing blob is never overwritten.
/// </summary>
public sealed class RecordingBlobWriter(RecordingSettings settings)
{
    public async Task<BlobWriteResult> WriteAsync(
        BlockBlobClient blob, Stream content, ExpectedSize expected, BlobHttpHeaders headers,
        IDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(metadata);
        var attempt = Guid.NewGuid().ToString("N");
        var ids = new List<string>();
        var inFlight = new Queue<(Task Stage, byte[] Buffer)>();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long total = 0;
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(settings.BlockSize);
                int filled;
                try
                {
                    filled = await FillAsync(content, buffer, settings.BlockSize, total, stop.Token);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    break;
                }

                hash.AppendData(buffer, 0, filled);
                total += filled;
                CheckNotLonger(total, expected);
                var id = BlockId(attempt, ids.Count);
                ids.Add(id);
                inFlight.Enqueue((blob.StageBlockAsync(id, new MemoryStream(buffer, 0, filled, writable: false), options: null, stop.Token), buffer));
                if (inFlight.Count >= settings.BlocksInFlight)
                {
                    await CompleteOldestAsync(inFlight);
                }

                if (filled < settings.BlockSize)
                {
                    break;
                }
            }

            while (inFlight.Count > 0)
            {
                await CompleteOldestAsync(inFlight);
            }
        }
        catch
        {
            await stop.CancelAsync();
            await AbandonAsync(inFlight);
            throw;
        }

        CheckComplete(total, expected);
        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        var committed = new Dictionary<string, string>(metadata, StringComparer.Ordinal) { [RecordingMetadata.Sha256] = sha256 };
        try
        {
            await blob.CommitBlockListAsync(
                ids,
                new CommitBlockListOptions { HttpHeaders = headers, Metadata = committed, Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } },
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409 || ex.ErrorCode == BlobErrorCode.BlobAlreadyExists)
        {
            return new BlobWriteResult(false, total, sha256);
        }

        return new BlobWriteResult(true, total, sha256);
    }

    private static async Task<int> FillAsync(Stream content, byte[] buffer, int size, long before, CancellationToken cancellationToken)
    {
        var filled = 0;
        try
        {
            while (filled < size)
            {
                var read = await content.ReadAsync(buffer.AsMemory(filled, size - filled), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new RecordingArchiveException($"The download broke after {(before + filled).ToString(CultureInfo.InvariantCulture)} bytes: {ex.Message}", ex);
        }

        return filled;
    }

    private static void CheckNotLonger(long total, ExpectedSize expected)
    {
        if ((expected.ContentLength is { } length && total > length) || (expected.ReportedFileSize > 0 && total > expected.ReportedFileSize))
        {
            throw new RecordingArchiveException(Describe("The download is longer than announced", total, expected));
        }
    }

    private static void CheckComplete(long total, ExpectedSize expected)
    {
        if (total == 0)
        {
            throw new RecordingArchiveException(Describe("The download is empty", total, expected));
        }

        if ((expected.ContentLength is { } length && total != length) || (expected.ReportedFileSize > 0 && total != expected.ReportedFileSize))
        {
            throw new RecordingArchiveException(Describe("The download is incomplete", total, expected));
        }
    }

    private static string Describe(string what, long total, ExpectedSize expected) => string.Create(
        CultureInfo.InvariantCulture,
        $"{what}: {total} bytes received, Content-Length {(expected.ContentLength?.ToString(CultureInfo.InvariantCulture) ?? "absent")}, file_size {expected.ReportedFileSize}.");

    private static async Task CompleteOldestAsync(Queue<(Task Stage, byte[] Buffer)> inFlight)
    {
        var (stage, buffer) = inFlight.Peek();
        await stage;
        inFlight.Dequeue();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>Waits for the stages still running (they read the buffers) before the buffers go back to the pool.</summary>
    private static async Task AbandonAsync(Queue<(Task Stage, byte[] Buffer)> inFlight)
    {
        while (inFlight.TryDequeue(out var item))
        {
            try
            {
                await item.Stage;
            }
            catch (Exception ex) when (ex is RequestFailedException or OperationCanceledException or IOException or HttpRequestException or AggregateException)
            {
                // The attempt already failed; this block is abandoned with it.
            }

            ArrayPool<byte>.Shared.Return(item.Buffer);
        }
    }

    /// <summary>Unique per attempt (so concurrent writers never share uncommitted blocks), all of the same length.</summary>
    private static string BlockId(string attempt, int index) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{attempt}-{index:D6}")));
}
