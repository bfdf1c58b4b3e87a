using System.Text.Json;
using AgentHost.Core.Audit;

namespace AgentHost.Web;

/// <summary>One step of a run as the run page shows it: read from the run's audit events, the one record of every step.</summary>
public sealed record TimelineEntry(long Seq, DateTimeOffset At, string Type, string Actor, string Summary, string? Decision, string Data);

/// <summary>
/// A run's timeline: model turns with their tokens, each proposed call with the gate's decision and
/// rules, approvals and results. Built from the audit trail rather than from a second log, so the
/// page shows exactly what a reviewer will find.
/// </summary>
public sealed class RunTimeline(AuditReader reader)
{
    public async Task<IReadOnlyList<TimelineEntry>> ForRunAsync(string runId, CancellationToken cancellationToken)
    {
        var entries = new List<TimelineEntry>();
        await foreach (var e in reader.StreamAsync(new AuditFilter(RunId: runId), null, 2_000, cancellationToken))
        {
            using var document = JsonDocument.Parse(e.Data);
            var data = document.RootElement;
            entries.Add(new TimelineEntry(e.Sequence, e.Timestamp, e.Type, e.Actor.ToString(), Summarize(e.Type, data), Text(data, "decision"), e.Data));
        }

        return entries;
    }

    private static string Summarize(string type, JsonElement data) => type switch
    {
        AuditEventTypes.RunQueued => Text(data, "dryRun") == "true" ? "Dry run queued: writes are decided, not executed" : "Run queued",
        AuditEventTypes.ActionDryRun => $"Dry run: {Text(data, "function")} {Text(data, "result")} (not executed)",
        AuditEventTypes.RunStarted => $"Run started for {Text(data, "requester")}",
        AuditEventTypes.ModelCalled => $"Model turn {Text(data, "turn")}: {Text(data, "inputTokens")} input + {Text(data, "outputTokens")} output tokens",
        AuditEventTypes.ActionRequested => $"Proposed {Text(data, "function")}",
        AuditEventTypes.PolicyDecided => $"Policy decided {Text(data, "decision")} for {Text(data, "function")} (rules: {List(data, "rules")})",
        AuditEventTypes.ActionDenied => $"Denied {Text(data, "function")}: {Text(data, "explanation")}",
        AuditEventTypes.ApprovalRequested => $"Approval requested from {Groups(data)} for {Text(data, "function")}",
        AuditEventTypes.ApprovalDecided => $"Approval decided: {Text(data, "decision")} ({Text(data, "outcome")})",
        AuditEventTypes.ApprovalExpired => "Approval expired",
        AuditEventTypes.ActionExecuted => $"Executed {Text(data, "function")}: {Text(data, "result")}",
        AuditEventTypes.ActionFailed => $"Failed {Text(data, "function")}: {Text(data, "result")}",
        AuditEventTypes.ActionOutcomeUnknown => $"Outcome unknown for {Text(data, "function")}",
        AuditEventTypes.BudgetExceeded => $"Budget {Text(data, "budget")} exceeded ({Text(data, "used")} of {Text(data, "limit")})",
        AuditEventTypes.RunSucceeded => "Run succeeded",
        AuditEventTypes.RunFailed => $"Run failed: {Text(data, "reason")}",
        AuditEventTypes.RunStopped => $"Run stopped: {Text(data, "reason")}",
        _ => type,
    };

    /// <summary>"2 of deploy-approvers and 1 of security-approvers"; events from before several groups name one.</summary>
    private static string Groups(JsonElement data) =>
        data.TryGetProperty("groups", out var groups) && groups.ValueKind == JsonValueKind.Array
            ? string.Join(" and ", groups.EnumerateArray().Select(g => $"{Text(g, "count")} of {Text(g, "group")}"))
            : $"{Text(data, "count")} of {Text(data, "group")}";

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    private static string List(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? string.Join(", ", value.EnumerateArray().Select(v => v.ToString()))
            : string.Empty;
}
