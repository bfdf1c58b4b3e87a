using AgentHost.Core.Tools;

namespace AgentHost.Core.Provenance;

/// <summary>
/// One value of a tool result's field that someone other than the owner chose (a pull request's head
/// ref, number and SHA; a deployment's ref): tracked by kind and whatever its length, so "7" or "hotfix"
/// taints an argument of the same kind even though such short words are never tracked in free text.
/// </summary>
public sealed record TrackedValue(ArgumentKind Kind, string Value);
