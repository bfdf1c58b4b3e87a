using AgentHost.Approvals;
using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Employees;
using AgentHost.Core.Notifications;
using AgentHost.Core.Redaction;
using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Api;
using AgentHost.Plugins.Slack.Approvals;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgentHost.Slack;

/// <summary>
/// Approvals in Slack: posts the request with its buttons, keeps every copy of it current as people
/// decide or time runs out, and counts a click through the same decider as the web inbox.
/// </summary>
public sealed class SlackApprovalJob(
    ISlackClient slack,
    ApprovalStore approvals,
    AgentStore agents,
    NotificationStore notifications,
    InboundWork inbound,
    EmployeeDirectory directory,
    ApprovalDecider decider,
    SecretRedactor redactor,
    IAuditLog audit,
    IOptions<SlackOptions> options,
    TimeProvider time)
{
    /// <summary>Posts the approval once per destination; running it again posts nothing new.</summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task PostAsync(string approvalId, CancellationToken cancellationToken)
    {
        var approval = await approvals.GetAsync(approvalId, cancellationToken);
        if (approval is null)
        {
            return;
        }

        var posted = (await notifications.ApprovalMessagesAsync(approvalId, cancellationToken)).Select(m => m.Destination).ToHashSet(StringComparer.Ordinal);
        var agentName = (await agents.GetAsync(approval.AgentId, cancellationToken))?.Definition.Name ?? approval.AgentId;
        foreach (var destination in Destinations(approval).Where(d => !posted.Contains(d)))
        {
            var message = await slack.PostMessageAsync(Draw(destination, approval, agentName), cancellationToken);

            // A DM is sent to a user id and lands in a D… channel; chat.update needs the latter.
            await notifications.AddApprovalMessageAsync(approvalId, destination, new MessageRef(message.Channel, message.Ts), cancellationToken);
        }

        // A decision that landed while this job was posting found nothing to update; catch up.
        var now = await approvals.GetAsync(approvalId, cancellationToken);
        if (now is not null && (now.Status != approval.Status || now.Votes.Count != approval.Votes.Count))
        {
            await UpdateAsync(approvalId, cancellationToken);
        }
    }

    /// <summary>Redraws every posted copy with the votes so far, or the outcome and no buttons.</summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task UpdateAsync(string approvalId, CancellationToken cancellationToken)
    {
        var approval = await approvals.GetAsync(approvalId, cancellationToken);
        if (approval is null)
        {
            return;
        }

        var agentName = (await agents.GetAsync(approval.AgentId, cancellationToken))?.Definition.Name ?? approval.AgentId;
        foreach (var (_, posted) in await notifications.ApprovalMessagesAsync(approvalId, cancellationToken))
        {
            var message = Draw(posted.Channel, approval, agentName);
            await slack.UpdateMessageAsync(message, posted.Ts, cancellationToken);
        }
    }

    /// <summary>
    /// Applies the clicks of one recorded request, then marks it handled; a second run (a replay after a
    /// crash) finds it handled, and a click counted before the crash is refused by the decider as a second vote.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public Task HandleRecordedClicksAsync(string eventId, CancellationToken cancellationToken) =>
        inbound.RunAsync(SlackClick.Source, eventId, async (payload, cancellationToken) =>
        {
            foreach (var click in SlackClick.Deserialize(payload))
            {
                await HandleClickAsync(click, cancellationToken);
            }
        }, cancellationToken);

    /// <summary>
    /// Counts a button press as the employee behind the Slack account (the directory maps the Slack user
    /// id; the decider compares that employee's canonical e-mail with the owner, requester and starter).
    /// A press that does not count (not an approver, excluded, a second click, too late) is answered
    /// privately, audited by the decider, and changes nothing.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task HandleClickAsync(SlackClick click, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(click);
        var employee = directory.FindBySlackUserId(click.SlackUserId);
        if (employee is null)
        {
            await audit.AppendAsync(new AuditEntry(AuditEventTypes.AuthDenied, AuditActor.System, Data: new()
            {
                ["approvalId"] = click.ApprovalId,
                ["slackUser"] = click.SlackUserId,
                ["reason"] = "Slack user not in the directory",
            }), cancellationToken);
            await slack.PostEphemeralAsync(click.Channel, click.SlackUserId, "Your Slack account is not linked to an AgentHost employee, so your decision was not counted.", cancellationToken);
            return;
        }

        var result = await decider.DecideAsync(click.ApprovalId, employee.Email, click.Approve, click.Comment, cancellationToken);
        if (!result.Counted)
        {
            await slack.PostEphemeralAsync(click.Channel, click.SlackUserId, $"Not counted: {result.Message}.", cancellationToken);
        }
    }

    /// <summary>
    /// Half the time is gone: each approver who may still decide and has not gets the request again in a
    /// direct message, with its buttons. Recorded like every copy, so it is sent once and kept current.
    /// </summary>
    [AutomaticRetry(Attempts = 5)]
    public Task RemindAsync(string approvalId, CancellationToken cancellationToken) =>
        PostToPeopleAsync(approvalId, "reminder:", "Reminder: approval needed", cancellationToken);

    /// <summary>Nobody decided in time: every copy shows the fallback group, whose members get it directly.</summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task EscalatedAsync(string approvalId, CancellationToken cancellationToken)
    {
        await UpdateAsync(approvalId, cancellationToken);
        await PostToPeopleAsync(approvalId, "escalation:", "Escalated to you: approval needed", cancellationToken);
    }

    private async Task PostToPeopleAsync(string approvalId, string kind, string headline, CancellationToken cancellationToken)
    {
        var approval = await approvals.GetAsync(approvalId, cancellationToken);
        if (approval is null || approval.Status != ApprovalStatus.Pending)
        {
            return;
        }

        var posted = (await notifications.ApprovalMessagesAsync(approvalId, cancellationToken)).Select(m => m.Destination).ToHashSet(StringComparer.Ordinal);
        var agentName = (await agents.GetAsync(approval.AgentId, cancellationToken))?.Definition.Name ?? approval.AgentId;
        var undecided = approval.RequiredGroups.SelectMany(g => directory.MembersOf(g.Group))
            .Where(a => a.SlackUserId is not null && ApprovalRules.CanDecide(approval, a.Email, directory))
            .Select(a => a.SlackUserId!)
            .Distinct(StringComparer.Ordinal)
            .Where(id => !posted.Contains(kind + id));
        foreach (var person in undecided)
        {
            var message = await slack.PostMessageAsync(Draw(person, approval, agentName, headline), cancellationToken);
            await notifications.AddApprovalMessageAsync(approvalId, kind + person, new MessageRef(message.Channel, message.Ts), cancellationToken);
        }
    }

    /// <summary>The approval as Slack shows it now, with links to the web when the host knows its address.</summary>
    private SlackMessage Draw(string channel, Approval approval, string agentName, string? headline = null) =>
        ApprovalMessage.Build(channel, approval, ApprovalTally.Count(approval, directory.IsInGroup), agentName, redactor, time.GetUtcNow(), options.Value.Links, approval.Status == ApprovalStatus.Pending ? headline : null);

    private IEnumerable<string> Destinations(Approval approval)
    {
        yield return options.Value.ApprovalChannel!;
        if (!options.Value.DirectMessageApprovers)
        {
            yield break;
        }

        // Every group's approvers, once each, never someone who may not decide it.
        var approvers = approval.RequiredGroups.SelectMany(g => directory.MembersOf(g.Group))
            .Where(a => a.SlackUserId is not null && approval.ExclusionOf(a.Email) is null)
            .Select(a => a.SlackUserId!)
            .Distinct(StringComparer.Ordinal);
        foreach (var approver in approvers)
        {
            yield return approver;
        }
    }
}
