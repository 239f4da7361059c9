using System.Runtime.CompilerServices;
using PortSipArchive.Sync;

namespace PortSipArchive.Tests.Sync;

public sealed class ReadAheadTests
{
    [Fact]
    public async Task Items_arrive_in_order_and_the_source_is_read_ahead_up_to_the_capacity()
    {
        var produced = 0;
        await using var ahead = new ReadAhead<int>(Numbers(1000, () => produced++), capacity: 50, CancellationToken.None);
        await WaitUntilAsync(() => Volatile.Read(ref produced) >= 50);
        await Task.Delay(100);
        Assert.InRange(Volatile.Read(ref produced), 50, 52);

        var read = new List<int>();
        await foreach (var item in ahead.ReadAllAsync())
        {
            read.Add(item);
        }

        Assert.Equal(Enumerable.Range(0, 1000), read);
    }

    [Fact]
    public async Task A_failure_of_the_source_reaches_the_reader_after_the_items_before_it()
    {
        await using var ahead = new ReadAhead<int>(FailingAfter(3), capacity: 10, CancellationToken.None);
        var read = new List<int>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var item in ahead.ReadAllAsync())
            {
                read.Add(item);
            }
        });

        Assert.Equal("page 4 failed", error.Message);
        Assert.Equal([0, 1, 2], read);
    }

    [Fact]
    public async Task Disposing_stops_the_reading()
    {
        var produced = 0;
        var ahead = new ReadAhead<int>(Numbers(1_000_000, () => produced++), capacity: 10, CancellationToken.None);
        await WaitUntilAsync(() => Volatile.Read(ref produced) >= 10);
        await ahead.DisposeAsync();
        var stoppedAt = Volatile.Read(ref produced);
        await Task.Delay(100);
        Assert.Equal(stoppedAt, Volatile.Read(ref produced));
        Assert.True(stoppedAt < 100, $"read {stoppedAt} items");
    }

    private static async IAsyncEnumerable<int> Numbers(int count, Action onProduce, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            onProduce();
            yield return i;
        }
    }

    private static async IAsyncEnumerable<int> FailingAfter(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }

        throw new InvalidOperationException($"page {count + 1} failed");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }
}
