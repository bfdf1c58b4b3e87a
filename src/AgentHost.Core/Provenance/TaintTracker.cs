using System.Text.RegularExpressions;
using AgentHost.Core.Policies;

namespace AgentHost.Core.Provenance;

/// <summary>
/// Finds which argument values of a proposed call came from untrusted content read earlier in the run
/// (an email body, someone else's Slack message, a PR description), and from which tool call.
/// A value counts as tainted when it, or an address, URL or domain inside it, occurs in untrusted
/// content and nowhere in what the owner and requester said (instructions, input, granted scopes).
/// Plain words are not tracked: they name no destination and occur in every text. Deliberately simple
/// and explainable: it over-reports rather than misses, and an over-report costs an approval, never an effect.
/// </summary>
public sealed partial class TaintTracker
{
    /// <summary>Shorter fragments ("ok", "main") are everywhere and would taint everything.</summary>
    public const int MinimumFragmentLength = 4;

    private readonly string _trusted;
    private readonly List<(string Source, string Content)> _untrusted = [];

    public TaintTracker(IEnumerable<string> trustedContext)
    {
        ArgumentNullException.ThrowIfNull(trustedContext);
        _trusted = string.Join("\n", trustedContext).ToLowerInvariant();
    }

    public bool HasUntrustedContent => _untrusted.Count > 0;

    /// <summary>Content a tool returned that someone other than the owner wrote, and which call returned it.</summary>
    public void AddUntrusted(string source, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        _untrusted.Add((source, content.ToLowerInvariant()));
    }

    /// <summary>Tainted argument names, each with the first untrusted source its value was found in.</summary>
    public IReadOnlyDictionary<string, string> Trace(IReadOnlyDictionary<string, ToolArgumentValue> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var tainted = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_untrusted.Count == 0)
        {
            return tainted;
        }

        foreach (var (name, value) in arguments)
        {
            foreach (var text in value.Values())
            {
                if (SourceOf(text) is { } source)
                {
                    tainted[name] = source;
                    break;
                }
            }
        }

        return tainted;
    }

    private string? SourceOf(string value)
    {
        var whole = value.Trim().ToLowerInvariant();
        foreach (var fragment in Fragments(whole))
        {
            if (fragment.Length < MinimumFragmentLength || _trusted.Contains(fragment, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var (source, content) in _untrusted)
            {
                if (content.Contains(fragment, StringComparison.Ordinal))
                {
                    return source;
                }
            }
        }

        return null;
    }

    private static IEnumerable<string> Fragments(string value)
    {
        // A plain word ("roadmap", "main") names no destination and is in every text; identifiers do.
        if (value.Any(c => !char.IsLetter(c) && c != ' '))
        {
            yield return value;
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

    // E-mail addresses, URLs and bare domains: the values an injected instruction wants to redirect.
    [GeneratedRegex(@"[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}|https?://[^\s""'<>]+|\b[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Identifiers();
}
