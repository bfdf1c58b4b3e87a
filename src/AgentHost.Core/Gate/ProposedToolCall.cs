using AgentHost.Core.Policies;

namespace AgentHost.Core.Gate;

/// <summary>A call a model proposed in a run, as the gate receives it.</summary>
public sealed record ProposedToolCall(
    string RunId,
    int Turn,
    string CallId,
    string Function,
    IReadOnlyDictionary<string, ToolArgumentValue> Arguments,
    string ArgumentsJson,
    IReadOnlySet<string> TaintedArguments);
