using AgentHost.Core.Approvals;
using AgentHost.Core.Runs;

namespace AgentHost.Core.Usage;

/// <summary>A run in a usage period: whose agent, how it ended, what it spent.</summary>
public sealed record UsageRun(string RunId, string AgentId, string Owner, RunStatus Status, long InputTokens, long OutputTokens);

/// <summary>A tool call of such a run and what came of it (executed, denied, rejected, ...).</summary>
public sealed record UsageCall(string RunId, string Function, ToolCallOutcome Outcome);

/// <summary>An approval asked for in such a run, and how it was settled.</summary>
public sealed record UsageApproval(string RunId, ApprovalStatus Status);

/// <summary>Everything the usage report counts for one period, read in three queries.</summary>
public sealed record UsageFacts(IReadOnlyList<UsageRun> Runs, IReadOnlyList<UsageCall> Calls, IReadOnlyList<UsageApproval> Approvals);
