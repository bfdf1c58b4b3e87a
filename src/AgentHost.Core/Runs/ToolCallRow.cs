using System.Text.Json;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Runs;

/// <summary>A row of run_tool_calls as stored, read and written by column name.</summary>
internal sealed record ToolCallRow
{
    public const string Columns = "run_id, turn, call_id, function, arguments, decision, rules, outcome, result_summary, model_call_id, arguments_sha256, effect, started_at";

    /// <summary>The parameter names of <see cref="Columns"/>, in the same order (Dapper binds them from a <see cref="ToolCallRow"/>).</summary>
    public const string Values = "@RunId, @Turn, @CallId, @Function, @Arguments, @Decision, @Rules, @Outcome, @ResultSummary, @ModelCallId, @ArgumentsSha256, @Effect, @StartedAt";

    public string RunId { get; init; } = "";
    public long Turn { get; init; }
    public string CallId { get; init; } = "";
    public string Function { get; init; } = "";
    public string Arguments { get; init; } = "";
    public string Decision { get; init; } = "";
    public string Rules { get; init; } = "[]";
    public string Outcome { get; init; } = "";
    public string? ResultSummary { get; init; }
    public string? ModelCallId { get; init; }
    public string? ArgumentsSha256 { get; init; }
    public string? Effect { get; init; }
    public long? StartedAt { get; init; }

    public static ToolCallRow From(ToolCallRecord call) => new()
    {
        RunId = call.RunId,
        Turn = call.Turn,
        CallId = call.CallId,
        Function = call.Function,
        Arguments = call.Arguments,
        Decision = call.Decision,
        Rules = JsonSerializer.Serialize(call.Rules),
        Outcome = call.Outcome.ToText(),
        ResultSummary = call.ResultSummary,
        ModelCallId = call.ModelCallId,
        ArgumentsSha256 = call.ArgumentsSha256,
        Effect = call.Effect,
        StartedAt = StoreTime.ToMicroseconds(call.StartedAt),
    };

    public ToolCallRecord ToRecord() => new(
        RunId, checked((int)Turn), CallId, Function, Arguments, Decision, JsonSerializer.Deserialize<string[]>(Rules)!, SnakeCase.Parse<ToolCallOutcome>(Outcome), ResultSummary,
        ModelCallId, ArgumentsSha256, Effect, StoreTime.FromMicroseconds(StartedAt));
}
