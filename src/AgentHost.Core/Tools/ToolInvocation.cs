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
    public string RequiredText(string name) =>
        OptionalText(name) is { Length: > 0 } value ? value : throw new ArgumentException($"{name}: required");

    /// <summary>
    /// Text arguments come normalised for their kind (<see cref="ToolDescriptor.Kinds"/>): what the gate
    /// decided on is what the plugin executes, even on a path that skipped the gate's normalisation.
    /// </summary>
    public string? OptionalText(string name) => RawText(name) is { } text ? Normalized(name, text) : null;

    /// <summary>One value of an argument in the canonical form of its kind (idempotent).</summary>
    public string Normalized(string name, string value) =>
        ToolCatalog.Standard.TryGet(Function, out var tool) ? ValueNormalization.Normalize(tool.KindOf(name), value) : value;

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
