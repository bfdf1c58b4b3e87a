using AgentHost.Core.Policies;

namespace AgentHost.Core.Gate;

/// <summary>
/// A call a model proposed in a run, as the gate receives it. <see cref="CallId"/> is the host's id of
/// the call (<see cref="CallIdentity"/>); <see cref="ModelCallId"/> is what the model called it, kept for
/// correlation only. <see cref="TaintSources"/> names each argument whose value came from untrusted
/// content, with the tool call that read it. <see cref="ArgumentsSha256"/> is the hash of the canonical
/// arguments (<see cref="CanonicalCall"/>) when they could be read.
/// </summary>
public sealed record ProposedToolCall(
    string RunId,
    int Turn,
    string CallId,
    string Function,
    IReadOnlyDictionary<string, ToolArgumentValue> Arguments,
    string ArgumentsJson,
    IReadOnlyDictionary<string, string> TaintSources,
    string? ModelCallId = null,
    string? ArgumentsSha256 = null)
{
    public static IReadOnlyDictionary<string, string> Clean { get; } = new Dictionary<string, string>();

    public IReadOnlySet<string> TaintedArguments { get; } = TaintSources.Count == 0 ? PolicyRequest.NoTaint : TaintSources.Keys.ToHashSet(StringComparer.Ordinal);
}
