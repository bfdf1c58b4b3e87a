using System.Text.Json.Nodes;
using AgentHost.Core.Approvals;

namespace AgentHost.Plugins.Slack.Approvals;

/// <summary>
/// The modal a Reject click opens: why, in words the agent, the run's owner and the audit will read.
/// Its private_metadata names the approval only to show Slack's contract; the host checks every
/// submission against the form it recorded when it opened this one.
/// </summary>
public static class RejectModal
{
    public const string CallbackId = "approval_reject_reason";
    public const string ReasonBlock = "reason";
    public const string ReasonAction = "reason";
    public const int MaxReasonCharacters = 1000;

    public static JsonObject Build(Approval approval, string agentName)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = CallbackId,
            ["private_metadata"] = approval.Id,
            ["title"] = PlainText("Reject the request"),
            ["submit"] = PlainText("Reject"),
            ["close"] = PlainText("Cancel"),
            ["blocks"] = new JsonArray
            {
                new JsonObject
                {
                    ["type"] = "section",
                    ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = $"Reject `{approval.Function}` for *{Escape(agentName)}* ({Escape(approval.Owner)})? The agent, its owner and the audit trail see your reason." },
                },
                new JsonObject
                {
                    ["type"] = "input",
                    ["block_id"] = ReasonBlock,
                    ["label"] = PlainText("Why do you reject it?"),
                    ["element"] = new JsonObject
                    {
                        ["type"] = "plain_text_input",
                        ["action_id"] = ReasonAction,
                        ["multiline"] = true,
                        ["max_length"] = MaxReasonCharacters,
                        ["placeholder"] = PlainText("e.g. the partner is on holiday; send it on Monday"),
                    },
                },
            },
        };
    }

    /// <summary>The reason typed into a submitted form (view.state.values), or null if there is none.</summary>
    public static string? Reason(JsonNode? view) =>
        view?["state"]?["values"]?[ReasonBlock]?[ReasonAction]?["value"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Slack's answer that keeps the modal open and shows <paramref name="message"/> under the reason field.</summary>
    public static JsonObject Error(string message) => new()
    {
        ["response_action"] = "errors",
        ["errors"] = new JsonObject { [ReasonBlock] = message },
    };

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text };

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
