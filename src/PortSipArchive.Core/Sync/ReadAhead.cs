using System.Threading.Channels;

namespace PortSipArchive.Sync;

/// <summary>
/// Reads an async sequence ahead of its consumer: a background task pulls items (for a PortSIP list: its pages) into a
/// bounded buffer from the moment it is created, so the next pages are fetched while the consumer writes the current
/// ones. Memory is bounded by <c>capacity</c>. The source's failure is thrown to the consumer at the point it was
/// reached; disposing stops the reading and waits for it, so nothing runs on after the consumer is gone.
/// </summary>
public sealed class ReadAhead<T> : IAsyncDisposable
{
    private readonly Channel<T> _channel;
    private readonly CancellationTokenSource _stop;
    private readonly Task _reader;

    public ReadAhead(IAsyncEnumerable<T> source, int capacity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _reader = Task.Run(() => PumpAsync(source, _stop.Token), CancellationToken.None);
    }

    /// <summary>The items in order; throws the source's failure after the items read before it.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync()
    {
        while (await _channel.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (_channel.Reader.TryRead(out var item))
            {
                yield return item;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reader;
        _stop.Dispose();
    }

    private async Task PumpAsync(IAsyncEnumerable<T> source, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in source.WithCancellation(cancellationToken))
            {
                await _channel.Writer.WriteAsync(item, cancellationToken);
            }

            _channel.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            _channel.Writer.TryComplete(ex);
        }
    }
}
