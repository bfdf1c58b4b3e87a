using System.Text.RegularExpressions;

namespace AgentHost.Core.Tools;

/// <summary>
/// The canonical form of an e-mail address: "Alice &lt;Alice@Example.COM&gt;" and " alice@example.com."
/// are one mailbox, alice@example.com. Anything that is not one plain address (two '@', a list, quotes,
/// comments) is kept as text but is no address: a domain test never holds on it, so it fails closed.
/// </summary>
public static partial class EmailAddressText
{
    public static string Canonical(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsPlainLowerAscii(value))
        {
            return value;
        }

        var text = value.Trim();
        if (text.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[7..].Trim();
        }

        // "Display Name <address>": only the address receives mail.
        var open = text.LastIndexOf('<');
        if (open >= 0 && text.EndsWith('>') && text.IndexOf('<') == open)
        {
            text = text[(open + 1)..^1].Trim();
        }

        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1)
        {
            return text.ToLowerInvariant();
        }

        var local = text[..at].ToLowerInvariant();
        var domain = ValueNormalization.Domain(text[(at + 1)..]);
        return $"{local}@{domain}";
    }

    // Already canonical: nothing to trim, no display name or scheme, lower-case ASCII, no trailing dot.
    private static bool IsPlainLowerAscii(string value)
    {
        foreach (var c in value)
        {
            if (!char.IsAscii(c) || char.IsAsciiLetterUpper(c) || char.IsWhiteSpace(c) || c is '<' or '>' || char.IsControl(c))
            {
                return false;
            }
        }

        return !value.EndsWith('.') && !value.StartsWith("mailto:", StringComparison.Ordinal);
    }

    /// <summary>Whether the canonical text is exactly one plain address (what a domain test may look into).</summary>
    public static bool IsAddress(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return Address().IsMatch(canonical);
    }

    [GeneratedRegex(@"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
