namespace PortSipArchive.Cli;

/// <summary>
/// Reports on the caller's thread, under a lock (unlike <see cref="Progress{T}"/>, which posts to the thread pool and
/// can write after the command has finished).
/// </summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _lock = new();

    public void Report(T value)
    {
        lock (_lock)
        {
            report(value);
        }
    }
}
