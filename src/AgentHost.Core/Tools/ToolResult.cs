namespace AgentHost.Core.Tools;

/// <summary>
/// What a tool returns. <see cref="Untrusted"/> marks content written by someone other than the agent's
/// owner (an email, another person's message, a PR body): the model is told, and the run records it.
/// </summary>
public sealed record ToolResult(bool Succeeded, string Content, bool Untrusted = false);
