using System.Globalization;
using System.Text.Json;

namespace AgentHost.Core.Tools;

/// <summary>
/// An allowed call: which function, with which arguments, for which agent and run. Plugins read text
/// arguments through <see cref="RequiredText"/> and <see cref="OptionalText"/>; a bad argument throws
/// ArgumentException with a message the model can act on.
/// </summary>
public sealed record ToolInvocation(string Function, IReadOnlyDictionary<string, object?> Arguments, string AgentId, string RunId, string CallId)
{
    /// <summary>The catalog entry of <see cref="Function"/>: how each argument is normalised; null normalises nothing.</summary>
    public ToolDescriptor? Tool { get; init; }

    public string RequiredText(string name) =>
        OptionalText(name) is { Length: > 0 } value ? value : throw new ArgumentException($"{name}: required");

    /// <summary>
    /// Text arguments come normalised for their kind (<see cref="ToolDescriptor.Kinds"/>): what the gate
    /// decided on is what the plugin executes, even on a path that skipped the gate's normalisation.
    /// </summary>
    public string? OptionalText(string name) => RawText(name) is { } text ? Normalized(name, text) : null;

    /// <summary>One value of an argument in the canonical form of its kind (idempotent).</summary>
    public string Normalized(string name, string value) =>
        Tool is { } tool ? ValueNormalization.Normalize(tool.KindOf(name), value) : value;

    /// <summary>A list argument: the model may send one text or a list of texts; each item is one normalised value.</summary>
    public IReadOnlyList<string> List(string name) =>
        Arguments.TryGetValue(name, out var value) ? value switch
        {
            null => [],
            string one when one.Length == 0 => [],
            string one => [Normalized(name, one)],
            JsonElement { ValueKind: JsonValueKind.Null } => [],
            JsonElement { ValueKind: JsonValueKind.String } one => List(one.GetString()!, name),
            JsonElement { ValueKind: JsonValueKind.Array } many when many.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                [.. many.EnumerateArray().Select(e => Normalized(name, e.GetString()!))],
            IEnumerable<string> many => [.. many.Select(v => Normalized(name, v))],
            IEnumerable<object?> items when items.All(i => i is string) => [.. items.Cast<string>().Select(v => Normalized(name, v))],
            _ => throw new ArgumentException($"{name}: expected a list of texts"),
        } : [];

    /// <summary>A JSON object argument as its JSON text (workflow inputs); text is passed as it is, for the plugin to parse.</summary>
    public string? JsonText(string name) =>
        Arguments.TryGetValue(name, out var value) ? value switch
        {
            null => null,
            string text => text,
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement e => e.GetRawText(),
            _ => JsonSerializer.Serialize(value),
        } : null;

    private IReadOnlyList<string> List(string one, string name) => one.Length == 0 ? [] : [Normalized(name, one)];

    // Models send numbers as numbers and the approval path replays them as text: both are accepted.
    private string? RawText(string name) =>
        Arguments.TryGetValue(name, out var value) ? value switch
        {
            null => null,
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            JsonElement { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
            JsonElement { ValueKind: JsonValueKind.Null } => null,
            int or long => Convert.ToString(value, CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"{name}: expected text"),
        } : null;
}
