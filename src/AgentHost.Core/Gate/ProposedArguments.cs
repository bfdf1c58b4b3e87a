using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Gate;

/// <summary>
/// Reads the arguments a model proposed against the tool's declared arguments: text (numbers and
/// booleans as their JSON text), a list of texts where the tool declares a list (recipients), a JSON
/// object where it declares one (workflow inputs). Anything else (an unknown name, a nested value, a list of numbers) is malformed: the gate
/// denies it with <see cref="MalformedRule"/> instead of guessing what the model meant.
/// </summary>
public static class ProposedArguments
{
    public const string MalformedRule = "builtin:malformed-arguments";

    /// <summary>The arguments as the policy reads them, or the reason they are malformed.</summary>
    public static (Dictionary<string, ToolArgumentValue>? Arguments, string? Error) Read(ToolDescriptor tool, IEnumerable<KeyValuePair<string, object?>>? arguments)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var values = new Dictionary<string, ToolArgumentValue>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments ?? [])
        {
            if (!tool.Arguments.Contains(name, StringComparer.Ordinal))
            {
                return (null, $"{tool.Name} has no argument '{Shorten(name)}' (it takes {string.Join(", ", tool.Arguments)})");
            }

            var read = value is JsonElement element ? FromJson(tool, name, element) : FromValue(tool, name, value);
            if (read.Error is not null)
            {
                return (null, read.Error);
            }

            if (read.Value is { } present)
            {
                values[name] = present;
            }
        }

        return (values, null);
    }

    private static (ToolArgumentValue? Value, string? Error) FromJson(ToolDescriptor tool, string name, JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => (null, null),
        JsonValueKind.String => (Shape(tool, name, element.GetString()!), null),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => (Shape(tool, name, element.GetRawText()), null),
        JsonValueKind.Array when tool.ListArguments.Contains(name) && element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
            (element.EnumerateArray().Select(e => e.GetString()!).ToArray(), null),
        JsonValueKind.Object when tool.ObjectArguments.Contains(name) => (JsonNode.Parse(element.GetRawText())!.ToJsonString(), null),
        _ => (null, $"{name}: expected {(tool.ListArguments.Contains(name) ? "a list of texts" : tool.ObjectArguments.Contains(name) ? "a JSON object" : "text")}, got {element.ValueKind.ToString().ToLowerInvariant()}"),
    };

    private static (ToolArgumentValue? Value, string? Error) FromValue(ToolDescriptor tool, string name, object? value) => value switch
    {
        null => (null, null),
        string text => (Shape(tool, name, text), null),
        string[] many when tool.ListArguments.Contains(name) => (many, null),
        int or long or bool => (Shape(tool, name, Convert.ToString(value, CultureInfo.InvariantCulture)!), null),
        _ => (null, $"{name}: expected text"),
    };

    // One recipient given as text means a list of one: the same call either way, so one canonical form.
    private static ToolArgumentValue Shape(ToolDescriptor tool, string name, string text) => tool.ListArguments.Contains(name) ? new[] { text } : text;

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
