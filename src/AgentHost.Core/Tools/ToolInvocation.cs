namespace AgentHost.Core.Tools;

/// <summary>An allowed call: which function, with which arguments, for which agent and run.</summary>
public sealed record ToolInvocation(string Function, IReadOnlyDictionary<string, object?> Arguments, string AgentId, string RunId, string CallId);
