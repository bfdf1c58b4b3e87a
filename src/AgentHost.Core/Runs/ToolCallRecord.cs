namespace AgentHost.Core.Runs;

/// <summary>A tool call a model proposed in a run, with the gate's decision and what came of it.</summary>
public sealed record ToolCallRecord(
    string RunId,
    int Turn,
    string CallId,
    string Function,
    string Arguments,
    string Decision,
    IReadOnlyList<string> Rules,
    string Outcome,
    string? ResultSummary);
