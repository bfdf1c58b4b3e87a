namespace AgentHost.Agents.Authority;

/// <summary>
/// Whether an owner may use one scope value, and why not. A verdict from a failure to ask (timeout, rate
/// limit) is not cached, so the next save or run asks again instead of repeating an outage for a minute.
/// </summary>
public sealed record ScopeVerdict(bool Allowed, string Reason, bool Cacheable = true)
{
    public static ScopeVerdict Yes { get; } = new(true, string.Empty);

    public static ScopeVerdict No(string reason) => new(false, reason);

    public static ScopeVerdict Unverified(string reason) => new(false, reason, Cacheable: false);
}
