namespace AgentHost.Agents.Pickers;

/// <summary>One value the agent form offers for a scope: what is stored (a channel id) and what people read (#releases).</summary>
public sealed record ScopeOption(string Value, string Label);

/// <summary>A value typed into a scope field, resolved to what is stored, or refused with words saying why (and what was meant).</summary>
public sealed record ScopeResolution(string? Value, string? Error)
{
    public static ScopeResolution To(string value) => new(value, null);

    public static ScopeResolution Refused(string error) => new(null, error);
}
