using AgentHost.Agents;
using AgentHost.Approvals;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;
using AgentHost.Core.Runs;
using AgentHost.Runs;
using AgentHost.Runs.Conversation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Runs;

/// <summary>
/// A run as a timeline. While the run has not ended, run-live.js fetches the live part (handler "live",
/// the same partial) and swaps it in place: no reload, open sections and the scroll position stay.
/// The agent's owner or an admin can stop the run here.
/// </summary>
public sealed class DetailsModel(RunStore runs, AgentStore agents, AgentAccess access, ApprovalStore approvals, RunTimeline timeline, RunStopper stopper, EmployeeDirectory directory, ConversationReader conversation, TimeProvider time) : PageModel
{
    /// <summary>How often the page asks for the live part while the run moves.</summary>
    public const int PollSeconds = 2;

    public Run Run { get; private set; } = null!;

    public Agent Agent { get; private set; } = null!;

    public IReadOnlyList<ToolCallRecord> Calls { get; private set; } = [];

    public IReadOnlyDictionary<string, Approval> ApprovalsByCall { get; private set; } = new Dictionary<string, Approval>();

    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    /// <summary>Whether the page stops updating: the run ended and its ending is in the timeline (or long ago).</summary>
    public bool Ended { get; private set; }

    public bool CanStop => !Run.Status.IsFinal() && AgentAccess.CanEdit(User, Agent);

    public string? StopMessage { get; private set; }

    /// <summary>The conversation as the audit trail holds it (read on the full page, not on each live update).</summary>
    public ConversationView? Conversation { get; private set; }

    /// <summary>The calls that did not happen (denied, rejected, expired, failed, outcome unknown, cancelled), in order.</summary>
    public IEnumerable<ToolCallRecord> NotExecuted => Calls.Where(c => c.Outcome.IsFinal() && c.Outcome != ToolCallOutcome.Executed);

    /// <summary>Who may decide a pending approval now: per required group, its members the approval rules allow.</summary>
    public IReadOnlyList<GroupDeciders> Deciders(Approval approval) => ApprovalRules.Deciders(approval, directory);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        Conversation = await conversation.ReadAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>The live part alone, for run-live.js.</summary>
    public async Task<IActionResult> OnGetLiveAsync(string id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Partial("_RunLive", this) : NotFound();

    public async Task<IActionResult> OnPostStopAsync(string id, string? reason, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!AgentAccess.CanEdit(User, Agent))
        {
            return Forbid();
        }

        if (await stopper.StopAsync(Run, User.Email(), reason, cancellationToken) == RunStopResult.AlreadyEnded)
        {
            StopMessage = "The run had already ended; nothing was stopped.";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        return Redirect($"/runs/{id}");
    }

    private async Task<bool> LoadAsync(string id, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        var agent = run is null ? null : await agents.GetAsync(run.AgentId, cancellationToken);
        if (run is null || agent is null || !access.CanRead(User, agent))
        {
            return false;
        }

        (Run, Agent) = (run, agent);
        Calls = await runs.ToolCallsAsync(id, cancellationToken);
        ApprovalsByCall = (await approvals.ForRunAsync(id, cancellationToken)).ToDictionary(a => a.CallId, StringComparer.Ordinal);
        Timeline = await timeline.ForRunAsync(id, cancellationToken);

        // The store marks a run ended a moment before its final audit event commits: keep updating until both
        // agree, and (a path that records no final event) not for ever.
        var last = Timeline.Count > 0 ? Timeline[^1].Type : null;
        Ended = run.Status.IsFinal() && (last is Core.Audit.AuditEventTypes.RunSucceeded or Core.Audit.AuditEventTypes.RunFailed or Core.Audit.AuditEventTypes.RunStopped
            || Timeline.Any(t => t.Type is Core.Audit.AuditEventTypes.RunSucceeded or Core.Audit.AuditEventTypes.RunFailed or Core.Audit.AuditEventTypes.RunStopped) && run.Actions.Pending == 0
            || run.FinishedAt < time.GetUtcNow() - TimeSpan.FromSeconds(30));
        return true;
    }
}
