using AgentHost.Core.Policies;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Provenance;

/// <summary>
/// Finds which argument values of a proposed call came from untrusted content read earlier in the run
/// (an email body, someone else's Slack message, a PR description, a deployment someone else made), and
/// from which tool call. Provenance follows meaning, not only exact text (docs/threat-model/values.md):
/// <list type="bullet">
/// <item>links by host and registrable domain: https://evil.test/x?src=team, EVIL.test., a userinfo
/// prefix or a sub-domain all point where the planted link did;</item>
/// <item>refs, numbers and SHAs by kind, whatever their length: from fields a plugin declared untrusted
/// (<see cref="TrackedValue"/>), numbers and SHAs also from free text; a 7+ hex prefix of a tracked SHA is it;</item>
/// <item>addresses, domains and identifier-like values (with a digit, dash, dot...) by substring;</item>
/// <item>copied sentences: <see cref="ShingleWords"/> consecutive words repeated from untrusted text.</item>
/// </list>
/// Nothing that also occurs in what the owner and requester said (instructions, input, granted scopes) is
/// tainted. It over-reports rather than misses: an over-report costs an approval, never an effect.
/// </summary>
public sealed partial class TaintTracker
{
    /// <summary>Shorter free-text fragments ("ok", "main") are everywhere and would taint everything.</summary>
    public const int MinimumFragmentLength = 4;

    /// <summary>A run of this many words copied from untrusted text is a relayed sentence (an instruction, a lure).</summary>
    public const int ShingleWords = 8;

    private readonly string _trusted;
    private readonly string _trustedWords;
    private readonly HashSet<string> _trustedHosts;
    private readonly HashSet<string> _trustedTokens;
    private readonly List<(string Source, string Content, string Words)> _untrusted = [];
    private readonly Dictionary<string, string> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _domains = new(StringComparer.Ordinal);
    private readonly Dictionary<(ArgumentKind Kind, string Value), string> _values = [];
    private readonly List<(string Sha, string Source)> _shas = [];

    public TaintTracker(IEnumerable<string> trustedContext)
    {
        ArgumentNullException.ThrowIfNull(trustedContext);
        var trusted = string.Join("\n", trustedContext);
        _trusted = trusted.ToLowerInvariant();
        _trustedWords = " " + string.Join(' ', Words(_trusted)) + " ";
        _trustedHosts = LinkHosts.In(trusted).ToHashSet(StringComparer.Ordinal);
        _trustedTokens = TrustedTokens(_trusted);
    }

    public bool HasUntrustedContent => _untrusted.Count > 0 || _values.Count > 0;

    /// <summary>Content a tool returned that someone other than the owner wrote, and which call returned it.</summary>
    public void AddUntrusted(string source, string content, IEnumerable<TrackedValue>? values = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(content);
        var lower = content.ToLowerInvariant();
        _untrusted.Add((source, lower, " " + string.Join(' ', Words(lower)) + " "));
        foreach (var host in LinkHosts.In(content))
        {
            _hosts.TryAdd(host, source);
            _domains.TryAdd(LinkHosts.Registrable(host), source);
        }

        foreach (var number in Numbers(lower))
        {
            _values.TryAdd((ArgumentKind.Number, number), source);
        }

        foreach (var sha in HexRuns(lower))
        {
            _shas.Add((sha, source));
        }

        foreach (var value in values ?? [])
        {
            Track(value, source);
        }
    }

    /// <summary>Tainted argument names (kinds unknown: every argument is free text).</summary>
    public IReadOnlyDictionary<string, string> Trace(IReadOnlyDictionary<string, ToolArgumentValue> arguments) => Trace(null, arguments);

    /// <summary>Tainted argument names, each with the first untrusted source its value was found in.</summary>
    public IReadOnlyDictionary<string, string> Trace(ToolDescriptor? tool, IReadOnlyDictionary<string, ToolArgumentValue> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var tainted = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!HasUntrustedContent)
        {
            return tainted;
        }

        foreach (var (name, value) in arguments)
        {
            var kind = tool?.KindOf(name) ?? ArgumentKind.Text;
            foreach (var text in value.Values())
            {
                if (SourceOf(kind, text) is { } source)
                {
                    tainted[name] = source;
                    break;
                }
            }
        }

        return tainted;
    }

    private void Track(TrackedValue value, string source)
    {
        var normalized = ValueNormalization.Normalize(value.Kind, value.Value).ToLowerInvariant();
        if (normalized.Length == 0)
        {
            return;
        }

        if (value.Kind == ArgumentKind.Sha || IsHexRun(normalized))
        {
            _shas.Add((normalized, source));
        }

        _values.TryAdd((value.Kind, normalized), source);
    }

    private string? SourceOf(ArgumentKind kind, string value)
    {
        var normalized = ValueNormalization.Normalize(kind, value).ToLowerInvariant();
        if (kind is ArgumentKind.Sha or ArgumentKind.Ref && IsHexRun(normalized) && !_trustedTokens.Any(t => ValueNormalization.SameCommit(t, normalized)))
        {
            foreach (var (sha, source) in _shas)
            {
                if (ValueNormalization.SameCommit(sha, normalized))
                {
                    return source;
                }
            }
        }

        if (kind is not (ArgumentKind.Text or ArgumentKind.Prose) && _values.TryGetValue((kind, normalized), out var typed) && !_trustedTokens.Contains(normalized))
        {
            return typed;
        }

        foreach (var host in LinkHosts.In(value))
        {
            if (LinkHosts.IsUnder(host, _trustedHosts))
            {
                continue;
            }

            if (_hosts.TryGetValue(host, out var source) || _domains.TryGetValue(LinkHosts.Registrable(host), out source))
            {
                return source;
            }
        }

        return FragmentSource(value.Trim().ToLowerInvariant(), whole: kind != ArgumentKind.Prose) ?? CopiedSentenceSource(value.ToLowerInvariant());
    }
}
