using System.Collections.Concurrent;

namespace AgentHost.Agents.Authority;

/// <summary>
/// Answers from Slack and GitHub kept for a short while (60 s by default), so a run start or a save does
/// not ask for every value every time; a membership removed is seen once the entry expires. Time comes
/// from the TimeProvider, so tests move past the expiry without waiting.
/// </summary>
public sealed class EntitlementCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (ScopeVerdict Verdict, DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);

    public async Task<ScopeVerdict> GetAsync(string key, Func<CancellationToken, Task<ScopeVerdict>> ask, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ask);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && entry.Until > now)
        {
            return entry.Verdict;
        }

        var verdict = await ask(cancellationToken);
        if (verdict.Cacheable)
        {
            if (_entries.Count >= MaxEntries)
            {
                // Bounded memory over precision: a full cache starts again rather than growing with every owner and value.
                _entries.Clear();
            }

            _entries[key] = (verdict, time.GetUtcNow() + Lifetime);
        }

        return verdict;
    }
}
