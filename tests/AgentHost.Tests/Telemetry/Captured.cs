using System.Collections;

namespace AgentHost.Tests.Telemetry;

/// <summary>
/// The collection an in-memory exporter adds to, from whichever thread ends a span or writes a log. It
/// keeps a projection, not the item: the SDK pools and reuses LogRecord objects after export.
/// </summary>
internal sealed class Captured<T, TKept>(Func<T, TKept> keep) : ICollection<T>
{
    private readonly List<TKept> _kept = [];

    public int Count
    {
        get
        {
            lock (_kept)
            {
                return _kept.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public List<TKept> Snapshot()
    {
        lock (_kept)
        {
            return [.. _kept];
        }
    }

    public void Add(T item)
    {
        var kept = keep(item);
        lock (_kept)
        {
            _kept.Add(kept);
        }
    }

    public void Clear()
    {
        lock (_kept)
        {
            _kept.Clear();
        }
    }

    public bool Contains(T item) => throw new NotSupportedException();

    public void CopyTo(T[] array, int arrayIndex) => throw new NotSupportedException();

    public bool Remove(T item) => throw new NotSupportedException();

    public IEnumerator<T> GetEnumerator() => throw new NotSupportedException();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
