using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;

namespace AgentHost.Telemetry;

/// <summary>
/// The host's own spans and instruments. A run is one trace: run → turn → model call (GenAI semantic
/// conventions) → tool call; every span carries the run id, so a trace search by run id finds the
/// whole story that the audit trail tells in hash-linked form.
/// </summary>
public static class AgentHostTelemetry
{
    public const string Name = "AgentHost";
    public const string RunIdTag = "agenthost.run_id";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> RunsEnded = Meter.CreateCounter<long>("agenthost.runs.ended", "{run}", "Runs that reached an end state, by status");

    private static readonly Counter<long> ToolCalls = Meter.CreateCounter<long>("agenthost.tool_calls", "{call}", "Tool calls proposed by models, by function, decision and outcome");

    private static readonly Counter<long> Tokens = Meter.CreateCounter<long>("agenthost.model.tokens", "{token}", "Model tokens, by direction (input, output)");

    private static readonly Counter<long> ApprovalsRequested = Meter.CreateCounter<long>("agenthost.approvals.requested", "{approval}", "Calls parked for a human's approval, by function");

    private static readonly Histogram<double> ModelLatency = Meter.CreateHistogram<double>("agenthost.model.duration", "s", "Time of one model call");

    private static readonly Counter<long> SiemEventsForwarded = Meter.CreateCounter<long>("agenthost.siem.events_forwarded", "{event}", "Audit events sent to a SIEM destination, by destination (copies sent again count again)");

    private static readonly Counter<long> SiemErrors = Meter.CreateCounter<long>("agenthost.siem.errors", "{error}", "Failed sends or store updates of the SIEM stream, by destination");

    private static readonly ConcurrentDictionary<string, long> SiemLags = new(StringComparer.Ordinal);

    private static readonly ObservableGauge<long> SiemLagGauge = Meter.CreateObservableGauge(
        "agenthost.siem.lag",
        () => SiemLags.Select(l => new Measurement<long>(l.Value, new KeyValuePair<string, object?>("destination", l.Key))),
        "{event}",
        "Audit events not yet delivered to a SIEM destination (trail head minus the destination's cursor), as this process last saw it");

    public static Activity? StartRun(string runId, string agentId, bool resumed)
    {
        var activity = Source.StartActivity(resumed ? "agenthost.run resume" : "agenthost.run", ActivityKind.Internal);
        activity?.SetTag(RunIdTag, runId);
        activity?.SetTag("agenthost.agent_id", agentId);
        return activity;
    }

    public static Activity? StartTurn(string runId, int turn)
    {
        var activity = Source.StartActivity("agenthost.turn");
        activity?.SetTag(RunIdTag, runId);
        activity?.SetTag("agenthost.turn", turn);
        return activity;
    }

    public static Activity? StartModelCall(string runId, string model)
    {
        var activity = Source.StartActivity($"chat {model}", ActivityKind.Client);
        activity?.SetTag(RunIdTag, runId);
        activity?.SetTag("gen_ai.operation.name", "chat");
        activity?.SetTag("gen_ai.request.model", model);
        return activity;
    }

    public static void ModelCalled(Activity? activity, TimeSpan elapsed, long inputTokens, long outputTokens)
    {
        activity?.SetTag("gen_ai.usage.input_tokens", inputTokens);
        activity?.SetTag("gen_ai.usage.output_tokens", outputTokens);
        ModelLatency.Record(elapsed.TotalSeconds);
        Tokens.Add(inputTokens, new KeyValuePair<string, object?>("direction", "input"));
        Tokens.Add(outputTokens, new KeyValuePair<string, object?>("direction", "output"));
    }

    public static Activity? StartToolCall(string runId, string function, string callId)
    {
        var activity = Source.StartActivity($"execute_tool {function}");
        activity?.SetTag(RunIdTag, runId);
        activity?.SetTag("gen_ai.operation.name", "execute_tool");
        activity?.SetTag("gen_ai.tool.name", function);
        activity?.SetTag("gen_ai.tool.call.id", callId);
        return activity;
    }

    /// <summary>Records the gate's decision and what came of it, on the span and in the counter.</summary>
    public static void ToolCallEnded(Activity? activity, string function, string decision, ToolCallOutcome outcome, IReadOnlyList<string> rules)
    {
        activity?.SetTag("agenthost.decision", decision);
        activity?.SetTag("agenthost.outcome", outcome.ToText());
        activity?.SetTag("agenthost.rules", string.Join(',', rules));
        if (outcome == ToolCallOutcome.Failed)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "the tool reported a failure");
        }

        ToolCalls.Add(1, new("function", function), new("decision", decision), new("outcome", outcome.ToText()));
        if (outcome == ToolCallOutcome.AwaitingApproval)
        {
            ApprovalsRequested.Add(1, new KeyValuePair<string, object?>("function", function));
        }
    }

    public static void RunEnded(RunStatus status) => RunsEnded.Add(1, new KeyValuePair<string, object?>("status", status.ToText()));

    public static void SiemForwarded(string destination, int events) => SiemEventsForwarded.Add(events, new KeyValuePair<string, object?>("destination", destination));

    public static void SiemError(string destination) => SiemErrors.Add(1, new KeyValuePair<string, object?>("destination", destination));

    public static void SiemLag(string destination, long events) => SiemLags[destination] = events;
}
