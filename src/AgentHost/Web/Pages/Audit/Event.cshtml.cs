using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Employees;
using AgentHost.Runs.Conversation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Audit;

/// <summary>One event with its leaf hash and its inclusion proof in the current tree: the hash links a reviewer follows.</summary>
public sealed class EventModel(AuditReader reader, AuditProofs proofs, AuditLogWriter writer, AgentStore agents, EmployeeDirectory directory, ConversationReader conversation) : PageModel
{
    /// <summary>The conversation content the event's leaf commits to (messages sent, reply, tool result, output).</summary>
    public IReadOnlyList<ConversationText> CommittedContent { get; private set; } = [];

    public string? AgentName { get; private set; }

    public string? PersonName { get; private set; }

    public AuditEvent Event { get; private set; } = null!;

    public InclusionProof? Proof { get; private set; }

    public async Task<IActionResult> OnGetAsync(long seq, CancellationToken cancellationToken)
    {
        var page = await reader.SearchAsync(new AuditFilter(), seq - 1, 1, cancellationToken);
        if (page.Events.Count == 0 || page.Events[0].Sequence != seq)
        {
            return NotFound();
        }

        Event = page.Events[0];
        AgentName = Event.AgentId is { } agentId ? (await agents.GetAsync(agentId, cancellationToken))?.Definition.Name : null;
        PersonName = Event.Actor.Id is { } id && id.Contains('@', StringComparison.Ordinal) ? directory.FindByEmail(id)?.Name : null;
        Proof = await proofs.InclusionAsync(seq, writer.Head.Size, cancellationToken);
        CommittedContent = await conversation.ContentOfAsync(Event, cancellationToken);
        return Page();
    }
}
