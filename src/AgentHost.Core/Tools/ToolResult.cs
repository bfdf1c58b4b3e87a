using AgentHost.Core.Provenance;

namespace AgentHost.Core.Tools;

/// <summary>
/// What a tool returns. <see cref="Untrusted"/> marks content written by someone other than the agent's
/// owner (an email, another person's message, a PR body, a deployment someone else made): the model is
/// told, and the run records it. <see cref="Values"/> are the untrusted fields' refs, numbers and SHAs,
/// tracked by kind whatever their length (a PR number 7, a branch named "hotfix").
/// </summary>
public sealed record ToolResult(bool Succeeded, string Content, bool Untrusted = false, IReadOnlyList<TrackedValue>? Values = null);
