using System.Text.RegularExpressions;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Provenance;

/// <summary>The free-text half of provenance: identifiers by substring, copied sentences by word runs.</summary>
public sealed partial class TaintTracker
{
    private string? FragmentSource(string value, bool whole)
    {
        foreach (var fragment in Fragments(value, whole))
        {
            if (fragment.Length < MinimumFragmentLength || _trusted.Contains(fragment, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (source, content, _) in _untrusted)
            {
                if (content.Contains(fragment, StringComparison.Ordinal))
                {
                    return source;
                }
            }
        }

        return null;
    }

    private string? CopiedSentenceSource(string lower)
    {
        var words = Words(lower).ToArray();
        for (var start = 0; start + ShingleWords <= words.Length; start++)
        {
            var shingle = " " + string.Join(' ', words, start, ShingleWords) + " ";
            if (_trustedWords.Contains(shingle, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (source, _, content) in _untrusted)
            {
                if (content.Contains(shingle, StringComparison.Ordinal))
                {
                    return source;
                }
            }
        }

        return null;
    }

    private static IEnumerable<string> Fragments(string value, bool whole)
    {
        // A plain word ("roadmap", "main") names no destination and is in every text; identifiers do.
        if (whole && value.Any(c => !char.IsLetter(c) && c != ' '))
        {
            yield return value;
        }

        // In prose, a token mixing letters and digits (a password, a key, an account) is an identifier.
        foreach (var token in whole ? [] : value.Split([' ', '\n', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = token.Trim('.', ',', ';', ':', '(', ')', '"', '\'');
            if (trimmed.Length >= 8 && trimmed.Any(char.IsDigit) && trimmed.Any(char.IsLetter))
            {
                yield return trimmed;
            }
        }

        foreach (Match match in Identifiers().Matches(value))
        {
            yield return match.Value.TrimEnd('.', ',', ';', ')');
            if (match.Value.Contains('@', StringComparison.Ordinal))
            {
                yield return match.Value[(match.Value.IndexOf('@', StringComparison.Ordinal) + 1)..];
            }
        }
    }

    private static IEnumerable<string> Words(string lower) =>
        WordPattern().Matches(lower).Select(m => m.Value);

    private static IEnumerable<string> Numbers(string lower) =>
        NumberPattern().Matches(lower).Select(m => ValueNormalization.Normalize(ArgumentKind.Number, m.Groups["n"].Value));

    private static IEnumerable<string> HexRuns(string lower) =>
        HexPattern().Matches(lower).Select(m => m.Value);

    private static bool IsHexRun(string value) => value.Length is >= 7 and <= 64 && value.All(char.IsAsciiHexDigit);

    /// <summary>The tokens of the owner's and requester's words, also as refs and numbers, to clear typed values.</summary>
    private static HashSet<string> TrustedTokens(string lower)
    {
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in lower.Split([' ', '\n', '\r', '\t', ',', ';', '(', ')', '[', ']', '{', '}', '"', '\'', '<', '>', '!', '?', '`'], StringSplitOptions.RemoveEmptyEntries))
        {
            var token = raw.TrimEnd('.', ':');
            tokens.Add(token);
            tokens.Add(ValueNormalization.Normalize(ArgumentKind.Ref, token).ToLowerInvariant());
            tokens.Add(ValueNormalization.Normalize(ArgumentKind.Number, token));
        }

        return tokens;
    }

    // E-mail addresses, URLs and bare domains: the values an injected instruction wants to redirect.
    [GeneratedRegex(@"[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}|https?://[^\s""'<>]+|\b[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Identifiers();

    [GeneratedRegex(@"[\p{L}\p{N}]+", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    // Whole numbers standing alone (#7, 7, "pull request 1042"), not parts of versions, times' decimals or ids.
    [GeneratedRegex(@"(?<![\w.\-/])#?(?<n>\d{1,9})(?![\w\-/]|\.\d)", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"(?<![0-9a-z])[0-9a-f]{7,64}(?![0-9a-z])", RegexOptions.CultureInvariant)]
    private static partial Regex HexPattern();
}
