using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;
using AgentHost.Tools;

namespace AgentHost.Runs;

/// <summary>Conversions between what the model sends, what policies read, and what the model is shown back.</summary>
public static class ToolArguments
{
    private const int MaxTrackedValues = 300;

    /// <summary>Arguments as the policy reads them: text, or a list of texts; null when the model sent something else.</summary>
    public static Dictionary<string, ToolArgumentValue>? ForPolicy(IEnumerable<KeyValuePair<string, object?>>? arguments)
    {
        var values = new Dictionary<string, ToolArgumentValue>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments ?? [])
        {
            switch (value is JsonElement element ? FromJson(element) : value)
            {
                case null:
                    break;
                case string text:
                    values[name] = text;
                    break;
                case string[] many:
                    values[name] = many;
                    break;
                case IEnumerable<object?> items when items.All(i => i is string):
                    values[name] = items.Cast<string>().ToArray();
                    break;
                case var other:
                    values[name] = Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                    break;
            }
        }

        return values;
    }

    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array when element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => element.EnumerateArray().Select(e => e.GetString()!).ToArray(),
        _ => element.GetRawText(),
    };

    public static string ToJson(IEnumerable<KeyValuePair<string, object?>>? arguments)
    {
        var json = new JsonObject();
        foreach (var (name, value) in arguments ?? [])
        {
            json[name] = value is JsonElement element ? JsonNode.Parse(element.GetRawText()) : JsonValue.Create(value?.ToString());
        }

        return json.ToJsonString();
    }

    /// <summary>
    /// What the model sees of a result: its source and whether it is untrusted, and the content cut to a
    /// bounded size, so a tool cannot flood the context and the model is told what not to obey.
    /// </summary>
    public static string Envelope(string function, ToolResult result, int maxCharacters)
    {
        ArgumentNullException.ThrowIfNull(result);
        var content = result.Content.Length > maxCharacters ? result.Content[..maxCharacters] + $" [cut: {result.Content.Length - maxCharacters} more characters]" : result.Content;
        var envelope = new JsonObject
        {
            ["source"] = function,
            ["ok"] = result.Succeeded,
            ["untrusted"] = result.Untrusted,
            ["content"] = content,
        };
        if (result.Values is { Count: > 0 } values)
        {
            // The untrusted fields' values, bounded like the content; the run's provenance reads them back.
            envelope["values"] = new JsonArray([.. values.Take(MaxTrackedValues).Select(v => (JsonNode)new JsonObject
            {
                ["kind"] = v.Kind.ToString().ToLowerInvariant(),
                ["value"] = v.Value.Length > 255 ? v.Value[..255] : v.Value,
            })]);
        }

        return envelope.ToJsonString();
    }
}
