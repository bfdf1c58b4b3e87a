using AgentHost.Approvals;
using AgentHost.Auth;
using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;
using AgentHost.Core.Redaction;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Approvals;

/// <summary>
/// One approval as the inbox shows it: the detail of the Slack message (with what each group still needs),
/// the run's request (null if the run is gone), and who may still decide it ("team-leads: Bob Baker, Carol Chen").
/// </summary>
public sealed record ApprovalItem(Approval Approval, string AgentName, string? RunInput, ToolDescriptor? Tool, string Arguments, bool CanDecide, ApprovalTally Tally, string MayDecide);

/// <summary>
/// The approvals inbox: what I may decide now, what waits on others for my agents, and the decided
/// history. Decisions go through the same decider as the API and Slack's buttons.
/// </summary>
public sealed class IndexModel(ApprovalStore approvals, ApprovalVisibility visibility, ApprovalDecider decider, ToolCatalog catalog, SecretRedactor redactor, EmployeeDirectory directory, TimeProvider time) : PageModel
{
    public const int HistoryShown = 50;

    public IReadOnlyList<ApprovalItem> ToDecide { get; private set; } = [];

    public IReadOnlyList<ApprovalItem> Waiting { get; private set; } = [];

    public IReadOnlyList<ApprovalItem> History { get; private set; } = [];

    public string? Message { get; private set; }

    public bool MessageIsError { get; private set; }

    /// <summary>The approval whose reject form is shown again with <see cref="ReasonError"/> beside its reason field.</summary>
    public string? ReasonErrorFor { get; private set; }

    public string? ReasonError { get; private set; }

    /// <summary>What the reject form said when it was refused, shown again so nothing typed is lost.</summary>
    public string? ReasonTyped { get; private set; }

    /// <summary>When the page was drawn: "expires in" is true then.</summary>
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string approvalId, string? decision, string? comment, CancellationToken cancellationToken)
    {
        var body = new ApprovalDecision(decision, comment);
        if (decision == "reject" && (body.CommentOrNull is null || comment!.Length > ApprovalRules.MaxCommentLength))
        {
            // A rejection says why: the agent, the run's owner and the audit trail read it.
            (ReasonErrorFor, ReasonTyped) = (approvalId, comment);
            ReasonError = body.CommentOrNull is null ? "Say why you reject it: the agent and its owner read your reason." : $"At most {ApprovalRules.MaxCommentLength} characters.";
            (Message, MessageIsError) = ("Not rejected: " + ReasonError, true);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else if (ApprovalRules.Validate(body).Count > 0)
        {
            (Message, MessageIsError) = ($"Choose approve or reject; a comment has at most {ApprovalRules.MaxCommentLength} characters.", true);
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            var result = await decider.DecideAsync(approvalId, User.Email(), body.Approve, body.CommentOrNull, cancellationToken);
            (Message, MessageIsError) = (result.Counted ? $"Decision counted: {result.Message}." : $"Not counted: {result.Message}.", !result.Counted);
            Response.StatusCode = result.Counted ? StatusCodes.Status200OK : result.Status;
        }

        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Now = time.GetUtcNow();
        // One query brings each approval with its votes, the agent's name and the run's request.
        var visible = (await approvals.ListWithContextAsync(null, cancellationToken)).Where(l => visibility.CanSee(User, l.Approval)).ToList();
        var items = new List<ApprovalItem>();
        foreach (var (a, agentName, runInput) in visible.OrderByDescending(l => l.Approval.CreatedAt).Take(HistoryShown * 4))
        {
            catalog.TryGet(a.Function, out var tool);
            items.Add(new ApprovalItem(a, agentName ?? a.AgentId, runInput, tool, redactor.Redact(a.Arguments), visibility.CanDecide(User, a), ApprovalTally.Count(a, directory.IsInGroup), MayDecide(a)));
        }

        ToDecide = [.. items.Where(i => i.CanDecide)];
        Waiting = [.. items.Where(i => !i.CanDecide && i.Approval.Status == ApprovalStatus.Pending)];
        History = [.. items.Where(i => i.Approval.Status != ApprovalStatus.Pending).Take(HistoryShown)];
    }

    /// <summary>Per group, the people who may still decide (the same rules the decider applies), or why nobody can.</summary>
    private string MayDecide(Approval approval)
    {
        if (approval.Status != ApprovalStatus.Pending)
        {
            return "nobody (" + approval.Status.ToText() + ")";
        }

        return string.Join("; ", ApprovalRules.Deciders(approval, directory).Select(d =>
            $"{d.Group.Group}: {(d.People.Count == 0 ? "nobody left who may" : string.Join(", ", d.People.Select(p => p.Name)))}"));
    }
}
