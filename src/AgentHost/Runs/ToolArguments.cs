using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Gate;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;
using AgentHost.Tools;
using Microsoft.SemanticKernel;

namespace AgentHost.Runs;

/// <summary>Conversions between what the model sends, what policies read, and what the model is shown back.</summary>
public static class ToolArguments
{
    private const int MaxTrackedValues = 300;

    /// <summary>
    /// The arguments of an invocation in canonical form, exactly as given: text or lists of text (also as
    /// JSON elements). Null when a value has any other shape, which no gate decision produces.
    /// </summary>
    public static Dictionary<string, ToolArgumentValue>? Canonical(IEnumerable<KeyValuePair<string, object?>>? arguments)
    {
        var values = new Dictionary<string, ToolArgumentValue>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments ?? [])
        {
            switch (value)
            {
                case null or JsonElement { ValueKind: JsonValueKind.Null }:
                    break;
                case string text:
                    values[name] = text;
                    break;
                case JsonElement { ValueKind: JsonValueKind.String } text:
                    values[name] = text.GetString()!;
                    break;
                case string[] many:
                    values[name] = many;
                    break;
                case JsonElement { ValueKind: JsonValueKind.Array } many when many.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                    values[name] = many.EnumerateArray().Select(e => e.GetString()!).ToArray();
                    break;
                default:
                    return null;
            }
        }

        return values;
    }

    /// <summary>What the plugin is invoked with: the canonical call's values, never the model's raw arguments.</summary>
    public static KernelArguments ForInvocation(CanonicalCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var arguments = new KernelArguments();
        foreach (var (name, value) in call.Arguments)
        {
            arguments[name] = value.IsList ? value.Values().ToArray() : value.ToString();
        }

        return arguments;
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
