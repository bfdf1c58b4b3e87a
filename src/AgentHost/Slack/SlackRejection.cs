using System.Text.Json.Nodes;
using AgentHost.Approvals;
using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Employees;
using AgentHost.Core.Notifications;
using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Api;
using AgentHost.Plugins.Slack.Approvals;
using Hangfire;
using Microsoft.Extensions.Options;

namespace AgentHost.Slack;

/// <summary>
/// Reject in Slack asks why: the click opens a form (views.open, within the click's three seconds), and
/// its submission (view_submission) is a rejection with that reason, counted by the same decider as
/// every other decision. A submission counts only if it matches a form opened here for that approval and
/// that person, once; anything else is refused and audited, whatever its private_metadata says.
/// </summary>
public sealed partial class SlackRejection(
    ISlackClient slack,
    ApprovalStore approvals,
    AgentStore agents,
    RejectForms forms,
    EmployeeDirectory directory,
    InboundEventLog inbound,
    IBackgroundJobClient jobs,
    IAuditLog audit,
    IOptions<SlackOptions> options,
    ILogger<SlackRejection> logger)
{
    public const string BlankReason = "Say why you reject it: the agent and its owner read your reason.";

    /// <summary>
    /// Opens the reason form for someone who may reject the approval now; false when they may not, so the
    /// click goes the usual way and the decider refuses it (answered privately, audited).
    /// </summary>
    public async Task<bool> OpenAsync(string slackUser, string channel, string approvalId, string triggerId, CancellationToken cancellationToken)
    {
        var employee = directory.FindBySlackUserId(slackUser);
        var approval = options.Value.Enabled ? await approvals.GetAsync(approvalId, cancellationToken) : null;
        if (employee is null || approval is null || ApprovalRules.Refusal(approval, employee.Email, directory) is not null)
        {
            return false;
        }

        var agentName = (await agents.GetAsync(approval.AgentId, cancellationToken))?.Definition.Name ?? approval.AgentId;
        try
        {
            var view = await slack.OpenViewAsync(triggerId, RejectModal.Build(approval, agentName), cancellationToken);
            await forms.AddAsync(new RejectForm(view.Id, approval.Id, slackUser, channel), cancellationToken);
        }
        catch (SlackApiException ex)
        {
            // An expired trigger (the click took Slack more than three seconds to deliver) or Slack down:
            // nothing was decided, and the person is told so rather than left waiting for a form.
            LogFormNotOpened(approvalId, ex.Error);
            await TryTellAsync(channel, slackUser, $"The form for your reason did not open (Slack said {ex.Error}); nothing was decided. Click Reject again, or reject on the web.", cancellationToken);
        }

        return true;
    }

    /// <summary>Answers a view_submission: errors keep the modal open; an empty 200 closes it.</summary>
    public async Task<IResult> SubmitAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var slackUser = Text(payload["user"], "id");
        var view = payload["view"] as JsonObject;
        var viewId = Text(view, "id");
        var claimed = Text(view, "private_metadata");
        var form = viewId is { Length: > 0 and <= 64 } ? await forms.GetAsync(viewId, cancellationToken) : null;
        if (form is null || slackUser is null || Text(view, "callback_id") != RejectModal.CallbackId
            || !string.Equals(form.ApprovalId, claimed, StringComparison.Ordinal) || !string.Equals(form.SlackUser, slackUser, StringComparison.Ordinal))
        {
            return await RefuseAsync(form?.ApprovalId ?? Cut(claimed), slackUser, "a reject form that was not opened here for this approval and this person", cancellationToken);
        }

        var reason = RejectModal.Reason(view)?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return TypedResults.Json(RejectModal.Error(BlankReason));
        }

        if (reason.Length > RejectModal.MaxReasonCharacters)
        {
            return TypedResults.Json(RejectModal.Error($"At most {RejectModal.MaxReasonCharacters} characters, please."));
        }

        if (!await forms.ClaimSubmissionAsync(form.ViewId, cancellationToken))
        {
            return await RefuseAsync(form.ApprovalId, slackUser, "a reject form submitted a second time (replayed)", cancellationToken);
        }

        // Recorded before Slack hears 200, counted right after, like a click (SlackEndpoints).
        var eventId = "view:" + form.ViewId;
        var click = new SlackClick(slackUser, form.ApprovalId, Approve: false, form.Channel, reason);
        if (await inbound.RecordAsync(SlackClick.Source, eventId, SlackClick.Serialize([click]), cancellationToken))
        {
            jobs.Enqueue<SlackApprovalJob>(job => job.HandleRecordedClicksAsync(eventId, CancellationToken.None));
        }

        return Results.Ok();
    }

    private async Task<IResult> RefuseAsync(string? approvalId, string? slackUser, string why, CancellationToken cancellationToken)
    {
        var employee = slackUser is null ? null : directory.FindBySlackUserId(slackUser);
        var approval = approvalId is null ? null : await approvals.GetAsync(approvalId, cancellationToken);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.AuthDenied, employee is null ? AuditActor.System : AuditActor.Employee(employee.Email), approval?.AgentId, approval?.RunId, new()
        {
            ["approvalId"] = approvalId,
            ["slackUser"] = Cut(slackUser),
            ["reason"] = why,
        }), cancellationToken);
        return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Submission refused");
    }

    private async Task TryTellAsync(string channel, string slackUser, string text, CancellationToken cancellationToken)
    {
        try
        {
            await slack.PostEphemeralAsync(channel, slackUser, text, cancellationToken);
        }
        catch (SlackApiException ex)
        {
            LogFormNotOpened(channel, ex.Error);
        }
    }

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    // What a forged submission claims goes into the trail bounded: it is the sender's text.
    private static string? Cut(string? text) => text is { Length: > 64 } ? text[..64] : text;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack reject form for {ApprovalId} not opened or not answered: {Error}")]
    private partial void LogFormNotOpened(string approvalId, string error);
}
