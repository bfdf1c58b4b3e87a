using System.Globalization;
using AgentHost.Core.Tools;

namespace AgentHost.Plugins.Email.Tools;

/// <summary>Reads a tool call's arguments; a bad one throws ArgumentException with a message for the model.</summary>
internal static class EmailArguments
{
    public static uint MessageId(ToolInvocation call) =>
        uint.TryParse(call.RequiredText("id"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new ArgumentException("id: the message id from email.list_messages (a positive whole number)");

    public static bool Flag(ToolInvocation call, string name) => call.OptionalText(name)?.Trim().ToUpperInvariant() switch
    {
        null or "" or "FALSE" or "NO" or "0" => false,
        "TRUE" or "YES" or "1" => true,
        _ => throw new ArgumentException($"{name}: true or false"),
    };

    public static int Limit(ToolInvocation call, int fallback, int max) => call.OptionalText("limit") is { } text
        ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 && n <= max ? n : throw new ArgumentException($"limit: a whole number from 1 to {max}")
        : fallback;

    /// <summary>A list argument: the model may send one text or a list of texts; each item is one value.</summary>
    public static IReadOnlyList<string> List(ToolInvocation call, string name) =>
        call.Arguments.TryGetValue(name, out var value) ? value switch
        {
            null => [],
            string one when one.Length == 0 => [],
            string one => [call.Normalized(name, one)],
            IEnumerable<string> many => many.Select(v => call.Normalized(name, v)).ToList(),
            IEnumerable<object?> items when items.All(i => i is string) => items.Cast<string>().Select(v => call.Normalized(name, v)).ToList(),
            _ => throw new ArgumentException($"{name}: expected a list of addresses"),
        } : [];
}
