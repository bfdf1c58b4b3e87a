namespace AgentHost.Core.Policies.Replay;

/// <summary>Changed calls of one kind, decided by one rule, for one agent: what a reviewer reads first.</summary>
public sealed record ReplayGroup(PolicyChange Change, string Rule, string AgentId, int Calls, IReadOnlyList<string> ExampleCallIds);
