using AgentHost.Agents;
using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Runs;

/// <summary>A run as a timeline; the page refreshes itself while the run has not ended.</summary>
public sealed class DetailsModel(RunStore runs, AgentStore agents, AgentAccess access, ApprovalStore approvals, RunTimeline timeline, TimeProvider time) : PageModel
{
    public const int RefreshSeconds = 2;

    public Run Run { get; private set; } = null!;

    public Agent Agent { get; private set; } = null!;

    public IReadOnlyList<ToolCallRecord> Calls { get; private set; } = [];

    public IReadOnlyDictionary<string, Approval> ApprovalsByCall { get; private set; } = new Dictionary<string, Approval>();

    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(id, cancellationToken);
        var agent = run is null ? null : await agents.GetAsync(run.AgentId, cancellationToken);
        if (run is null || agent is null || !access.CanRead(User, agent))
        {
            return NotFound();
        }

        (Run, Agent) = (run, agent);
        Calls = await runs.ToolCallsAsync(id, cancellationToken);
        ApprovalsByCall = (await approvals.ForRunAsync(id, cancellationToken)).ToDictionary(a => a.CallId, StringComparer.Ordinal);
        Timeline = await timeline.ForRunAsync(id, cancellationToken);
        // The store marks a run ended a moment before its final audit event commits: keep refreshing until both agree.
        // A run ended by a path that records no final event (none today) stops refreshing after a while.
        var ended = Timeline.Count > 0 && Timeline[^1].Type is AuditEventTypes.RunSucceeded or AuditEventTypes.RunFailed or AuditEventTypes.RunStopped
            || run.FinishedAt < time.GetUtcNow() - TimeSpan.FromSeconds(30);
        if (!run.Status.IsFinal() || !ended)
        {
            ViewData["Refresh"] = RefreshSeconds;
        }

        return Page();
    }
}
