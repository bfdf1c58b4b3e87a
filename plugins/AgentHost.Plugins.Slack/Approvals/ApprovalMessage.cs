using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Approvals;
using AgentHost.Core.Redaction;
using AgentHost.Plugins.Slack.Api;

namespace AgentHost.Plugins.Slack.Approvals;

/// <summary>
/// The Block Kit message approvers see: whose agent wants to do what, with which (redacted, size-limited)
/// arguments, by which rule, until when, what each group still needs, who may not decide, who decided so
/// far, and the buttons while it is still pending. The same message goes to every group's approvers.
/// </summary>
public static class ApprovalMessage
{
    public const string ApproveAction = "approval_approve";
    public const string RejectAction = "approval_reject";

    /// <summary>Per argument value; Block Kit caps a text object at 3,000 characters.</summary>
    public const int MaxArgumentCharacters = 300;
    public const int MaxArgumentsCharacters = 2_500;

    /// <param name="now">When the message is drawn: its "expires in" is true then (every update redraws it).</param>
    /// <param name="links">Where the web app is (Slack:PublicBaseUrl), or null for no links rather than broken ones.</param>
    /// <param name="headline">Overrides the status's headline ("Reminder: approval needed").</param>
    public static SlackMessage Build(string channel, Approval approval, ApprovalTally tally, string agentName, SecretRedactor redactor, DateTimeOffset now, Uri? links = null, string? headline = null)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(tally);
        ArgumentNullException.ThrowIfNull(redactor);
        headline ??= Headline(approval.Status);
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = PlainText($"{headline}: {approval.Function}"),
            },
            Section($"*{Escape(agentName)}*, the agent of {Escape(approval.Owner)}, wants to call `{approval.Function}`."),
            new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray
                {
                    Markdown($"*Rule*\n{string.Join(", ", approval.Rules.Select(r => $"`{Escape(r)}`"))}"),
                    Markdown($"*Needs* (every group; a person counts for one)\n{Escape(Needs(approval, tally))}"),
                    Markdown($"*Expires*\n{Expiry(approval, now)}"),
                    Markdown($"*Run*\n{Link(links, $"runs/{Uri.EscapeDataString(approval.RunId)}", $"`{approval.RunId}`")}"),
                },
            },
            Section("*Arguments*\n```" + Escape(Arguments(approval.Arguments, redactor, approval.TaintSources)) + "```"),
        };
        if (approval.TaintSources is { Count: > 0 } tainted)
        {
            // The point of asking a person: a value an outsider wrote is about to decide where an effect lands.
            blocks.Add(Section(":warning: *From untrusted content:* " + string.Join("; ", tainted.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"`{Escape(t.Key)}` came from {Escape(t.Value)}"))));
        }

        foreach (var vote in approval.Votes)
        {
            blocks.Add(Context($"{(vote.Decision == "approve" ? ":white_check_mark:" : ":x:")} {Escape(vote.Approver)} {(vote.Decision == "approve" ? "approved" : "rejected")} {Date(vote.At)}{(vote.Comment is { Length: > 0 } c ? ": " + Escape(Cut(redactor.Redact(c), MaxArgumentCharacters)) : string.Empty)}"));
        }

        if (approval.Status == ApprovalStatus.Pending)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["block_id"] = "approval",
                ["elements"] = new JsonArray
                {
                    Button("Approve", ApproveAction, approval.Id, "primary"),
                    Button("Reject", RejectAction, approval.Id, "danger"),
                },
            });
        }
        else
        {
            blocks.Add(Section($"*Outcome:* {Outcome(approval.Status)}"));
        }

        if (approval.EscalatedAt is { } escalatedAt)
        {
            blocks.Add(Context($":arrow_up: Escalated to {Escape(approval.EscalateTo ?? "?")} {Date(escalatedAt)}: nobody decided in time."));
        }

        var web = links is null ? string.Empty : $" · {Link(links, $"approvals#approval-{Uri.EscapeDataString(approval.Id)}", "decide on the web")}";
        blocks.Add(Context($"Approval `{approval.Id}`{web} · may not decide: {Escape(approval.ExcludedText)} · each approver counts once, for one group"));
        return new SlackMessage(channel, $"{headline}: {approval.Function} by {agentName} ({approval.Owner})", blocks);
    }

    /// <summary>"expires in 3 h · 2026-12-05 15:00 UTC (Fri 5 Dec 16:00 your time)" while pending; the deadline alone once settled.</summary>
    private static string Expiry(Approval approval, DateTimeOffset now) => approval.Status == ApprovalStatus.Pending
        ? $"{ExpiryText.Relative(approval.ExpiresAt, now)} · {ExpiryText.Absolute(approval.ExpiresAt)} ({LocalDate(approval.ExpiresAt)} your time)"
        : $"{ExpiryText.Absolute(approval.ExpiresAt)}";

    /// <summary>A link into the web app, or just the label when the host has no public address.</summary>
    private static string Link(Uri? links, string path, string label) =>
        links is null ? label : $"<{new Uri(links, path)}|{label}>";

    // Slack renders <!date> in the reader's own time zone; the fallback after | is for clients that cannot.
    private static string Date(DateTimeOffset at) => $"<!date^{at.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time}}|{at.ToString("u", CultureInfo.InvariantCulture)}>";

    private static string LocalDate(DateTimeOffset at) => $"<!date^{at.ToUnixTimeSeconds()}^{{date_short_pretty}} {{time}}|{ExpiryText.Absolute(at)}>";

    /// <summary>"1 more of security-approvers (0 of 1)\nteam-leads done (1 of 1)": one line per group.</summary>
    private static string Needs(Approval approval, ApprovalTally tally) => approval.Status == ApprovalStatus.Pending
        ? string.Join("\n", tally.Groups)
        : string.Join("\n", tally.Groups.Select(g => $"{g.Required} of {g.Group} ({g.Approved} counted)"));

    private static string Headline(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Pending => "Approval needed",
        ApprovalStatus.Approved => "Approved",
        ApprovalStatus.Rejected => "Rejected",
        ApprovalStatus.Expired => "Expired",
        _ => "Cancelled",
    };

    private static string Outcome(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Approved => "approved; the call runs once",
        ApprovalStatus.Rejected => "rejected; the agent is told",
        ApprovalStatus.Expired => "expired before enough approvals; the agent is told",
        _ => "cancelled (the agent was disabled or the run stopped)",
    };

    /// <summary>One line per argument, secrets masked, long values cut, the whole bounded.</summary>
    internal static string Arguments(string json, SecretRedactor redactor, IReadOnlyDictionary<string, string>? tainted = null)
    {
        JsonObject? arguments;
        try
        {
            arguments = JsonNode.Parse(json) as JsonObject;
        }
        catch (JsonException)
        {
            arguments = null;
        }

        if (arguments is null)
        {
            return Cut(redactor.Redact(json), MaxArgumentsCharacters);
        }

        var text = new StringBuilder();
        foreach (var (name, value) in redactor.RedactObject(arguments))
        {
            var shown = value switch
            {
                JsonValue v when v.TryGetValue(out string? s) => s,
                JsonArray list when list.All(i => i is JsonValue iv && iv.TryGetValue(out string? _)) => string.Join(", ", list.Select(i => i!.GetValue<string>())),
                _ => value?.ToJsonString() ?? "null",
            };
            text.Append(tainted?.ContainsKey(name) == true ? "⚠ " : string.Empty).Append(name).Append(": ").Append(Cut(shown, MaxArgumentCharacters)).Append('\n');
        }

        // Triple backticks inside a value would end the code block early and let text escape it.
        return Cut(text.ToString().Replace("```", "'''", StringComparison.Ordinal), MaxArgumentsCharacters);
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max] + $"… [{text.Length - max} more characters]";

    // Slack's mrkdwn needs only these three escaped; it keeps a value from forming links or mentions.
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = Cut(text, 150) };

    private static JsonObject Markdown(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static JsonObject Section(string text) => new() { ["type"] = "section", ["text"] = Markdown(text) };

    private static JsonObject Context(string text) => new() { ["type"] = "context", ["elements"] = new JsonArray { Markdown(text) } };

    private static JsonObject Button(string label, string actionId, string approvalId, string style) => new()
    {
        ["type"] = "button",
        ["text"] = PlainText(label),
        ["action_id"] = actionId,
        ["value"] = approvalId,
        ["style"] = style,
    };
}
