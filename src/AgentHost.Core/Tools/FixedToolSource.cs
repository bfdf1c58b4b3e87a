namespace AgentHost.Core.Tools;

/// <summary>Tools known at start-up that never change while the host runs.</summary>
public sealed class FixedToolSource(IEnumerable<ToolDescriptor> tools, IEnumerable<ScopeDescriptor>? scopes = null) : IToolSource
{
    public IReadOnlyCollection<ToolDescriptor> Tools { get; } = [.. tools];

    public IReadOnlyCollection<ScopeDescriptor> Scopes { get; } = [.. scopes ?? []];

    public event EventHandler? Changed { add { } remove { } }
}
