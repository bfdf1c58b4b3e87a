namespace AgentHost.Core.Audit.Content;

/// <summary>What a piece of trail content is (stored in snake_case, <see cref="Storage.SnakeCase"/>); retention is set per kind.</summary>
public enum AuditContentKind
{
    /// <summary>A message sent to the model, or the model's reply.</summary>
    Model,

    /// <summary>A tool's full result, as the model received it.</summary>
    ToolResult,

    /// <summary>A run's final output.</summary>
    Output,
}
