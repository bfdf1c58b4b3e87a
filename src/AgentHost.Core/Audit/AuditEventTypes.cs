namespace AgentHost.Core.Audit;

/// <summary>The audit event types of ARCHITECTURE.md section 6. Clients filter on these strings: keep them stable.</summary>
public static class AuditEventTypes
{
    public const string AgentCreated = "agent.created";
    public const string AgentUpdated = "agent.updated";
    public const string AgentDisabled = "agent.disabled";
    public const string RunQueued = "run.queued";
    public const string RunStarted = "run.started";
    public const string ModelCalled = "model.called";
    public const string ActionRequested = "action.requested";
    public const string PolicyDecided = "policy.decided";
    public const string ActionDenied = "action.denied";
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalDecided = "approval.decided";
    public const string ApprovalExpired = "approval.expired";
    public const string ActionExecuted = "action.executed";
    public const string ActionFailed = "action.failed";
    public const string ActionOutcomeUnknown = "action.outcome_unknown";
    public const string ActionCancelled = "action.cancelled";
    public const string ApprovalMismatch = "approval.mismatch";
    public const string RunSucceeded = "run.succeeded";
    public const string RunFailed = "run.failed";
    public const string RunStopped = "run.stopped";
    public const string BudgetExceeded = "budget.exceeded";
    public const string PolicyLoaded = "policy.loaded";
    public const string PolicyRejected = "policy.rejected";
    public const string SlackRequestRejected = "slack.request_rejected";
    public const string InboundGivenUp = "inbound.given_up";
    public const string AuthDenied = "auth.denied";
    public const string RunReplied = "run.replied";
    public const string MailboxBaselined = "email.mailbox_baselined";
    public const string MailboxUnavailable = "email.mailbox_unavailable";
    public const string ScopeGranted = "scope.granted";
    public const string ScopeRefused = "scope.refused";
    public const string McpToolsApproved = "mcp.tools_approved";
    public const string McpToolChanged = "mcp.tool_changed";
    public const string McpServerUnreachable = "mcp.server_unreachable";
    public const string AgentEnabled = "agent.enabled";
    public const string ActionDryRun = "action.dry_run";
    public const string ApprovalReminded = "approval.reminded";
    public const string ApprovalEscalated = "approval.escalated";
    public const string ContentRemoved = "content.removed";
    public const string LegalHoldPlaced = "legal_hold.placed";
    public const string LegalHoldReleased = "legal_hold.released";
}
