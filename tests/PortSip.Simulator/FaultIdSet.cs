namespace PortSip.Simulator;

/// <summary>A thread-safe set of ids that a fault applies to (for example malformed CDRs or vanished recordings).</summary>
public sealed class FaultIdSet
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _ids.Count;
            }
        }
    }

    public bool Add(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return _ids.Add(id);
        }
    }

    public void AddRange(IEnumerable<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_gate)
        {
            _ids.UnionWith(ids);
        }
    }

    public bool Remove(string id)
    {
        lock (_gate)
        {
            return _ids.Remove(id);
        }
    }

    public bool Contains(string id)
    {
        lock (_gate)
        {
            return _ids.Contains(id);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _ids.Clear();
        }
    }

    public IReadOnlyList<string> ToList()
    {
        lock (_gate)
        {
            return [.. _ids];
        }
    }
}
