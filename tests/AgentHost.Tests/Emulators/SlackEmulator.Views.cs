using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Emulators;

/// <summary>
/// views.open as Slack documents it: a trigger_id from an interaction is required, is valid for
/// <see cref="TriggerLifetime"/> (3 s on Slack) and only once (invalid_trigger_id, expired_trigger_id,
/// exchanged_trigger_id); the view must be a modal within Block Kit's limits (invalid_arguments, with
/// the reason in response_metadata.messages). Triggers age by <see cref="TriggerClock"/>, which stands
/// still until a test advances it, so a slow test machine does not expire them by accident.
/// </summary>
public sealed partial class SlackEmulator
{
    private readonly Dictionary<string, (string User, DateTimeOffset IssuedAt, bool Used)> _triggers = new(StringComparer.Ordinal);
    private readonly List<OpenedView> _views = [];
    private long _nextView;

    public FakeTimeProvider TriggerClock { get; } = new(DateTimeOffset.UnixEpoch.AddSeconds(1_764_000_000));

    public TimeSpan TriggerLifetime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The modals opened so far, oldest first.</summary>
    public IReadOnlyList<OpenedView> OpenedViews
    {
        get
        {
            lock (_gate)
            {
                return [.. _views];
            }
        }
    }

    /// <summary>A trigger_id as Slack puts into an interaction payload of <paramref name="user"/>.</summary>
    public string IssueTrigger(string user)
    {
        lock (_gate)
        {
            var trigger = $"{Interlocked.Increment(ref _clock)}.{_triggers.Count + 1}.{Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())}";
            _triggers[trigger] = (user, TriggerClock.GetUtcNow(), false);
            return trigger;
        }
    }

    /// <summary>
    /// The form-encoded body Slack posts to the interactivity URL when <paramref name="user"/> submits
    /// <paramref name="view"/> with <paramref name="reason"/> typed in its input (block and action "reason").
    /// <paramref name="privateMetadata"/> replaces what the view carried, as an attacker editing it would.
    /// </summary>
    public string ViewSubmissionBody(OpenedView view, string user, string? reason, string? privateMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        var payload = new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = "T0EXAMPLE", ["domain"] = "example" },
            ["user"] = new JsonObject { ["id"] = user, ["username"] = "x", ["team_id"] = "T0EXAMPLE" },
            ["api_app_id"] = "A0AGENTHOST",
            ["trigger_id"] = IssueTrigger(user),
            ["view"] = new JsonObject
            {
                ["id"] = view.Id,
                ["team_id"] = "T0EXAMPLE",
                ["type"] = "modal",
                ["callback_id"] = view.View["callback_id"]?.DeepClone(),
                ["private_metadata"] = privateMetadata ?? view.View["private_metadata"]?.GetValue<string>() ?? string.Empty,
                ["hash"] = view.Hash,
                ["blocks"] = view.View["blocks"]?.DeepClone(),
                ["state"] = new JsonObject
                {
                    ["values"] = new JsonObject
                    {
                        ["reason"] = new JsonObject { ["reason"] = new JsonObject { ["type"] = "plain_text_input", ["value"] = reason } },
                    },
                },
            },
        };
        return "payload=" + Uri.EscapeDataString(payload.ToJsonString());
    }

    private async Task<JsonObject> OpenViewAsync(HttpRequest request)
    {
        JsonObject args;
        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true)
        {
            try
            {
                args = await JsonSerializer.DeserializeAsync<JsonObject>(request.Body) ?? [];
            }
            catch (JsonException)
            {
                return Fail("invalid_json");
            }
        }
        else
        {
            args = [];
            foreach (var (key, value) in request.HasFormContentType ? await request.ReadFormAsync() : FormCollection.Empty)
            {
                args[key] = value.ToString();
            }
        }

        // A form-encoded call carries the view as a JSON string.
        var view = args["view"] as JsonObject;
        if (view is null && Str(args, "view") is { } text)
        {
            try
            {
                view = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                return Fail("invalid_arguments", "[ERROR] view must be a JSON object");
            }
        }

        JsonObject result;
        lock (_gate)
        {
            result = OpenView(Str(args, "trigger_id"), view);
            if (result["ok"]?.GetValue<bool>() == true)
            {
                _views.Add(new OpenedView(result["view"]!["id"]!.GetValue<string>(), result["view"]!["hash"]!.GetValue<string>(), Str(args, "trigger_id")!, view!.DeepClone().AsObject()));
            }
        }

        _calls.Enqueue(new SlackCall("views.open", args, result));
        return result;
    }

    private JsonObject OpenView(string? trigger, JsonObject? view)
    {
        if (trigger is null or "")
        {
            return Fail("invalid_arguments", "[ERROR] missing required field: trigger_id");
        }

        if (view is null)
        {
            return Fail("invalid_arguments", "[ERROR] missing required field: view");
        }

        if (!_triggers.TryGetValue(trigger, out var issued))
        {
            return Fail("invalid_trigger_id");
        }

        if (issued.Used)
        {
            return Fail("exchanged_trigger_id");
        }

        if (TriggerClock.GetUtcNow() - issued.IssuedAt > TriggerLifetime)
        {
            return Fail("expired_trigger_id");
        }

        if (ViewError(view) is { } invalid)
        {
            return Fail("invalid_arguments", "[ERROR] " + invalid);
        }

        _triggers[trigger] = issued with { Used = true };
        var opened = view.DeepClone().AsObject();
        opened["id"] = $"V{Interlocked.Increment(ref _nextView).ToString("D8", CultureInfo.InvariantCulture)}";
        opened["hash"] = $"{Interlocked.Increment(ref _clock)}.hash";
        opened["team_id"] = "T0EXAMPLE";
        opened["state"] = new JsonObject { ["values"] = new JsonObject() };
        return Ok(new JsonObject { ["view"] = opened });
    }

    // The modal limits of Block Kit that a form of ours could plausibly break.
    private static string? ViewError(JsonObject view)
    {
        if (Str(view, "type") != "modal")
        {
            return "view.type must be modal";
        }

        if (PlainText(view["title"]) is not { Length: > 0 and <= 24 })
        {
            return "view.title must be plain_text of at most 24 characters";
        }

        var blocks = view["blocks"] as JsonArray;
        if (blocks is null || blocks.Count is 0 or > 100)
        {
            return "view.blocks must hold 1 to 100 blocks";
        }

        var inputs = blocks.OfType<JsonObject>().Where(b => Str(b, "type") == "input").ToList();
        if (inputs.Count > 0 && PlainText(view["submit"]) is not { Length: > 0 and <= 24 })
        {
            return "a view with input blocks needs submit: plain_text of at most 24 characters";
        }

        if (view["close"] is not null && PlainText(view["close"]) is not { Length: > 0 and <= 24 })
        {
            return "view.close must be plain_text of at most 24 characters";
        }

        if (Str(view, "callback_id")?.Length > 255 || Str(view, "private_metadata")?.Length > 3000)
        {
            return "callback_id is at most 255 characters, private_metadata at most 3000";
        }

        foreach (var input in inputs)
        {
            if (PlainText(input["label"]) is not { Length: > 0 and <= 2000 } || input["element"] is not JsonObject element || Str(element, "action_id") is not { Length: > 0 and <= 255 })
            {
                return "an input block needs a plain_text label and an element with an action_id";
            }

            if (Str(element, "type") == "plain_text_input" && element["max_length"] is JsonValue max && (!max.TryGetValue<int>(out var m) || m is < 1 or > 3000))
            {
                return "plain_text_input.max_length is 1 to 3000";
            }
        }

        return blocks.All(b => b is JsonObject o && Str(o, "type") is "section" or "input" or "context" or "divider" or "header" or "actions") ? null : "unknown block type";
    }

    private static string? PlainText(JsonNode? node) =>
        node is JsonObject obj && Str(obj, "type") == "plain_text" ? Str(obj, "text") : null;
}

/// <summary>A modal views.open showed: its id and hash, the trigger it used and the view as sent.</summary>
public sealed record OpenedView(string Id, string Hash, string Trigger, JsonObject View);
