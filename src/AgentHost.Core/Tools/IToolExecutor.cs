namespace AgentHost.Core.Tools;

/// <summary>
/// Carries out one tool after the gate allowed it. Plugins implement it; they hold the credentials, and
/// what they return goes to the model, so it must never contain one.
/// </summary>
public interface IToolExecutor
{
    /// <summary>The catalog names this executor carries out (e.g. slack.post_message).</summary>
    IReadOnlyCollection<string> Functions { get; }

    /// <summary>Whether this executor carries out a function not in <see cref="Functions"/> (an MCP server's, named at run time).</summary>
    bool Handles(string function) => false;

    Task<ToolResult> ExecuteAsync(ToolInvocation invocation, CancellationToken cancellationToken);
}
