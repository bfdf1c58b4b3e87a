using System.Globalization;

namespace AgentHost.Core.Tools;

/// <summary>
/// One canonical form per value kind, used by the gate before the policy reads an argument, by the
/// policy loader on its literals, by the plugins on what they execute, and by provenance tracking:
/// two spellings the target system treats as one value become one string here.
/// </summary>
public static class ValueNormalization
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    /// <summary>Kinds whose target system ignores case; policy tests on them ignore it too.</summary>
    public static bool IgnoresCase(ArgumentKind kind) =>
        kind is ArgumentKind.Environment or ArgumentKind.Sha or ArgumentKind.Channel or ArgumentKind.Email or ArgumentKind.Repo or ArgumentKind.Domain;

    public static StringComparer Comparer(ArgumentKind kind) => IgnoresCase(kind) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    public static string Normalize(ArgumentKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return kind switch
        {
            ArgumentKind.Text or ArgumentKind.Prose => value,
            ArgumentKind.Environment => Lower(value.Trim()),
            ArgumentKind.Ref => Ref(value),
            ArgumentKind.Sha => Lower(value.Trim()),
            ArgumentKind.Channel => Channel(value),
            ArgumentKind.Email => EmailAddressText.Canonical(value),
            ArgumentKind.Repo => Repo(value),
            ArgumentKind.Folder => Folder(value),
            ArgumentKind.Domain => Domain(value),
            ArgumentKind.Number => Number(value),
            _ => value,
        };
    }

    /// <summary>Lower-case ASCII form of a host name (punycode for IDN), without a trailing dot; the input when it is no valid name.</summary>
    public static string Domain(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // "@partner.test" is how people write a mail domain; the '@' is no part of it.
        var text = Lower(value.Trim().TrimStart('@').TrimEnd('.'));
        if (text.Length == 0 || System.Text.Ascii.IsValid(text))
        {
            return text;
        }

        try
        {
            return Idn.GetAscii(text).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return text;
        }
    }

    /// <summary>Whether a SHA argument names the commit a tracked SHA does: equal, or a 7+ hex prefix of it (either way).</summary>
    public static bool SameCommit(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        return shorter.Length >= 7 && shorter.All(char.IsAsciiHexDigit) && longer.StartsWith(shorter, StringComparison.OrdinalIgnoreCase);
    }

    private static string Ref(string value)
    {
        var text = value.Trim();
        if (text.StartsWith("refs/heads/", StringComparison.Ordinal))
        {
            return text["refs/heads/".Length..];
        }

        return text.StartsWith("heads/", StringComparison.Ordinal) ? text["heads/".Length..] : text;
    }

    private static string Channel(string value)
    {
        var text = value.Trim();

        // Conversation ids (C0123ABCD, G..., D...) are upper-case at Slack; names (#general) lower-case.
        return IsChannelId(text) ? Upper(text) : Lower(text);
    }

    // Slack ids: a type letter (C channel, G group, D direct message, U/W user for a DM) then letters and digits.
    private static bool IsChannelId(string text)
    {
        if (text.Length < 3 || char.ToUpperInvariant(text[0]) is not ('C' or 'G' or 'D' or 'U' or 'W'))
        {
            return false;
        }

        var digit = false;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }

            digit |= char.IsAsciiDigit(c);
        }

        return digit;
    }

    private static string Repo(string value)
    {
        var text = value.Trim().TrimEnd('/');
        if (text.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^4];
        }

        return Lower(text);
    }

    private static string Folder(string value)
    {
        var text = value.Trim();

        // RFC 3501 5.1: INBOX in any case is the inbox; other names are compared as the server stores them.
        return text.Equals("INBOX", StringComparison.OrdinalIgnoreCase) && !text.Equals("INBOX", StringComparison.Ordinal) ? "INBOX" : text;
    }

    private static string Number(string value)
    {
        var text = value.Trim().TrimStart('#');
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            return value.Trim();
        }

        var trimmed = text.TrimStart('0');
        return trimmed.Length > 0 ? trimmed : text.Length == 1 ? text : "0";
    }

    // The same instance when nothing changes: the gate's canonical check then allocates nothing.
    private static string Lower(string text)
    {
        foreach (var c in text)
        {
            if (char.ToLowerInvariant(c) != c)
            {
                return text.ToLowerInvariant();
            }
        }

        return text;
    }

    private static string Upper(string text)
    {
        foreach (var c in text)
        {
            if (char.ToUpperInvariant(c) != c)
            {
                return text.ToUpperInvariant();
            }
        }

        return text;
    }
}
