using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Gate;

/// <summary>
/// Reads the arguments a model proposed against the tool's declared arguments: text (numbers and
/// booleans as their JSON text), a list of texts for recipient lists, a JSON object only for workflow
/// inputs. Anything else (an unknown name, a nested value, a list of numbers) is malformed: the gate
/// denies it with <see cref="MalformedRule"/> instead of guessing what the model meant.
/// </summary>
public static class ProposedArguments
{
    public const string MalformedRule = "builtin:malformed-arguments";

    private static readonly HashSet<string> Lists = new(StringComparer.Ordinal) { "to", "cc" };
    private static readonly HashSet<string> Objects = new(StringComparer.Ordinal) { "inputs" };

    public static bool IsList(string name) => Lists.Contains(name);

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

            var read = value is JsonElement element ? FromJson(name, element) : FromValue(name, value);
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

    private static (ToolArgumentValue? Value, string? Error) FromJson(string name, JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => (null, null),
        JsonValueKind.String => (Shape(name, element.GetString()!), null),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => (Shape(name, element.GetRawText()), null),
        JsonValueKind.Array when Lists.Contains(name) && element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
            (element.EnumerateArray().Select(e => e.GetString()!).ToArray(), null),
        JsonValueKind.Object when Objects.Contains(name) => (JsonNode.Parse(element.GetRawText())!.ToJsonString(), null),
        _ => (null, $"{name}: expected {(Lists.Contains(name) ? "a list of texts" : Objects.Contains(name) ? "a JSON object" : "text")}, got {element.ValueKind.ToString().ToLowerInvariant()}"),
    };

    private static (ToolArgumentValue? Value, string? Error) FromValue(string name, object? value) => value switch
    {
        null => (null, null),
        string text => (Shape(name, text), null),
        string[] many when Lists.Contains(name) => (many, null),
        int or long or bool => (Shape(name, Convert.ToString(value, CultureInfo.InvariantCulture)!), null),
        _ => (null, $"{name}: expected text"),
    };

    // One recipient given as text means a list of one: the same call either way, so one canonical form.
    private static ToolArgumentValue Shape(string name, string text) => Lists.Contains(name) ? new[] { text } : text;

    private static string Shorten(string name) => name.Length <= 40 ? name : name[..40] + "…";
}
