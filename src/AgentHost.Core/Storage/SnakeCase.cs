using System.Collections.Frozen;
using System.Text;

namespace AgentHost.Core.Storage;

/// <summary>
/// The one text form of the status enums (run status, call outcome, approval status): the member name in
/// snake_case (AwaitingApproval is "awaiting_approval"). Stores write it, the API's JSON carries it
/// (<see cref="SnakeCaseConverter{TEnum}"/>) and audit data quotes it; text that names no member fails loudly.
/// </summary>
public static class SnakeCase
{
    public static string ToText<TEnum>(this TEnum value)
        where TEnum : struct, Enum =>
        Names<TEnum>.ByValue.TryGetValue(value, out var text) ? text : throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(TEnum).Name}");

    public static TEnum Parse<TEnum>(string text)
        where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value)
            ? value
            : throw new InvalidDataException($"'{text}' is no {typeof(TEnum).Name} (expected one of {string.Join(", ", Names<TEnum>.ByText.Keys.Order(StringComparer.Ordinal))})");

    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum => Names<TEnum>.ByText.TryGetValue(text ?? string.Empty, out value);

    /// <summary>The snake_case word of an enum member name.</summary>
    public static string Of(string memberName)
    {
        var text = new StringBuilder(memberName.Length + 4);
        foreach (var c in memberName)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }

    private static class Names<TEnum>
        where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> ByValue = Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => Of(v.ToString()));

        // Exact, case-sensitive: a stored "Pending" is as wrong as "pendng".
        public static readonly FrozenDictionary<string, TEnum> ByText = ByValue.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
