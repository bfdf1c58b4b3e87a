namespace AgentHost.Core.Tools;

/// <summary>
/// Where catalog entries come from: the plugins registered at start-up (fixed), or an MCP server whose
/// approved tool list changes while the host runs. The catalog rebuilds itself when a source changes.
/// </summary>
public interface IToolSource
{
    IReadOnlyCollection<ToolDescriptor> Tools { get; }

    /// <summary>The scopes the source's tools can be restricted to.</summary>
    IReadOnlyCollection<ScopeDescriptor> Scopes => [];

    /// <summary>Raised after <see cref="Tools"/> changed (a tool approved, disabled or added).</summary>
    event EventHandler? Changed;
}
