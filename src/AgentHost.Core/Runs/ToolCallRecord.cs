namespace AgentHost.Core.Runs;

/// <summary>
/// A tool call a model proposed in a run, with the gate's decision and what came of it. <see cref="CallId"/>
/// is the host's id; <see cref="ModelCallId"/> the model's, for correlation. <see cref="Arguments"/> is the
/// canonical JSON that was decided (the model's text when it could not be read), <see cref="ArgumentsSha256"/>
/// its hash. <see cref="Effect"/> and <see cref="StartedAt"/> count effects per agent and minute.
/// </summary>
public sealed record ToolCallRecord(
    string RunId,
    int Turn,
    string CallId,
    string Function,
    string Arguments,
    string Decision,
    IReadOnlyList<string> Rules,
    ToolCallOutcome Outcome,
    string? ResultSummary,
    string? ModelCallId = null,
    string? ArgumentsSha256 = null,
    string? Effect = null,
    DateTimeOffset? StartedAt = null);
