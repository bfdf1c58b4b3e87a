using System.Globalization;

namespace AgentHost.Plugins.Email.Tools;

/// <summary>Reads a tool call's arguments; a bad one throws ArgumentException with a message for the model.</summary>
internal static class EmailArguments
{
    public static uint MessageId(string? text) =>
        uint.TryParse(text is { Length: > 0 } ? text : throw new ArgumentException("id: required"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new ArgumentException("id: the message id from email.list_messages (a positive whole number)");

    public static bool Flag(string? text, string name) => text?.Trim().ToUpperInvariant() switch
    {
        null or "" or "FALSE" or "NO" or "0" => false,
        "TRUE" or "YES" or "1" => true,
        _ => throw new ArgumentException($"{name}: true or false"),
    };

    public static int Limit(string? text, int fallback, int max) => text is not null
        ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 && n <= max ? n : throw new ArgumentException($"limit: a whole number from 1 to {max}")
        : fallback;
}
