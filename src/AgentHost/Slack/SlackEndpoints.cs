using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Notifications;
using AgentHost.Plugins.Slack.Approvals;
using Hangfire;
using Microsoft.AspNetCore.WebUtilities;

namespace AgentHost.Slack;

/// <summary>
/// Slack's two callbacks (and the reject form's submission, through <see cref="SlackRejection"/>). Both answer within Slack's three seconds by verifying, recording and queueing;
/// the work (counting a vote, starting a run) happens in a background job right after. A click or a
/// mention is in the store before Slack hears 200, so a host that dies after answering loses no decision
/// and no request (replayed by SlackReconciliation and InboundEventPruning), and Slack's retries of an
/// event (same event_id, X-Slack-Retry-Num) are recorded once.
/// </summary>
public static class SlackEndpoints
{
    public static WebApplication MapSlack(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var slack = app.MapGroup("/slack").AllowAnonymous().WithTags("Slack");
        slack.MapPost("/interactivity", InteractivityAsync).DisableAntiforgery();
        slack.MapPost("/events", EventsAsync);
        return app;
    }

    private static async Task<IResult> InteractivityAsync(HttpContext context, SlackRequestVerifier verifier, InboundEventLog inbound, IBackgroundJobClient jobs, SlackRejection rejection, CancellationToken cancellationToken)
    {
        var (body, refusal) = await verifier.ReadAsync(context, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        JsonObject? payload;
        try
        {
            var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body!));
            payload = form.TryGetValue("payload", out var text) ? JsonNode.Parse(text.ToString()) as JsonObject : null;
        }
        catch (JsonException)
        {
            payload = null;
        }

        if (payload is null)
        {
            return await verifier.MalformedAsync(context, "interactivity without a JSON payload", cancellationToken);
        }

        if (Text(payload, "type") == "view_submission")
        {
            return await rejection.SubmitAsync(payload, cancellationToken);
        }

        if (Text(payload, "type") != "block_actions")
        {
            return Results.Ok();
        }

        var user = Text(payload["user"], "id");
        var channel = Text(payload["channel"], "id");
        var actions = payload["actions"] as JsonArray;
        if (user is null || channel is null || actions is null)
        {
            return await verifier.MalformedAsync(context, "block_actions without user, channel or actions", cancellationToken);
        }

        // Reject asks for a reason first: the form opens now, with the click's trigger (valid three seconds, once).
        var trigger = Text(payload, "trigger_id") is { Length: > 0 and <= 200 } t ? t : null;
        var clicks = new List<SlackClick>();
        foreach (var action in actions)
        {
            var approve = Text(action, "action_id") switch
            {
                ApprovalMessage.ApproveAction => true,
                ApprovalMessage.RejectAction => false,
                _ => (bool?)null,
            };
            if (approve is not null && Text(action, "value") is { Length: > 0 and <= 64 } approvalId)
            {
                if (approve == false && trigger is not null && await rejection.OpenAsync(user, channel, approvalId, trigger, cancellationToken))
                {
                    continue;
                }

                clicks.Add(new SlackClick(user, approvalId, approve.Value, channel));
            }
        }

        // Slack's trigger_id names one interaction: a redelivery of it is recorded once. Without one there is
        // no key, and the decider's one vote per person keeps a repeated click from counting twice.
        var eventId = trigger is not null ? "trigger:" + trigger : "request:" + Guid.NewGuid().ToString("N");
        if (clicks.Count > 0 && await inbound.RecordAsync(SlackClick.Source, eventId, SlackClick.Serialize(clicks), cancellationToken))
        {
            jobs.Enqueue<SlackApprovalJob>(job => job.HandleRecordedClicksAsync(eventId, CancellationToken.None));
        }

        return Results.Ok();
    }

    private static async Task<IResult> EventsAsync(HttpContext context, SlackRequestVerifier verifier, InboundEventLog inbound, IBackgroundJobClient jobs, CancellationToken cancellationToken)
    {
        var (body, refusal) = await verifier.ReadAsync(context, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        JsonObject? envelope;
        try
        {
            envelope = JsonNode.Parse(body!) as JsonObject;
        }
        catch (JsonException)
        {
            envelope = null;
        }

        switch (envelope is null ? null : Text(envelope, "type"))
        {
            case "url_verification" when Text(envelope, "challenge") is { } challenge:
                return TypedResults.Ok(new SlackChallenge(challenge));
            case "event_callback":
                break;
            default:
                return await verifier.MalformedAsync(context, "not a url_verification or event_callback envelope", cancellationToken);
        }

        var eventId = Text(envelope, "event_id");
        if (eventId is not { Length: > 0 and <= 200 } || envelope!["event"] is not JsonObject slackEvent)
        {
            return await verifier.MalformedAsync(context, "event_callback without event_id or event", cancellationToken);
        }

        var mention = Mention(eventId, slackEvent);
        if (mention is not null && await inbound.RecordAsync(SlackMention.Source, eventId, mention.Serialize(), cancellationToken))
        {
            jobs.Enqueue<SlackMentionJob>(job => job.HandleRecordedMentionAsync(eventId, CancellationToken.None));
        }

        return Results.Ok();
    }

    /// <summary>The events that ask an agent for something; everything else (edits, bots, joins) is acknowledged and ignored.</summary>
    private static SlackMention? Mention(string eventId, JsonObject slackEvent)
    {
        var type = Text(slackEvent, "type");
        var direct = type == "message" && Text(slackEvent, "channel_type") == "im";
        if ((type != "app_mention" && !direct) || Text(slackEvent, "bot_id") is not null || Text(slackEvent, "subtype") is not null)
        {
            return null;
        }

        var user = Text(slackEvent, "user");
        var channel = Text(slackEvent, "channel");
        var ts = Text(slackEvent, "ts");
        var text = Text(slackEvent, "text");
        return user is null || channel is null || ts is null || text is null
            ? null
            : new SlackMention(eventId, user, channel, ts, Text(slackEvent, "thread_ts"), text, direct);
    }

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject obj && obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
