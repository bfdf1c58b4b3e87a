namespace AgentHost.Core.Agents.History;

/// <summary>One changed line of the instructions: <see cref="Kind"/> is "added" or "removed"; <see cref="Line"/> counts from 1 in the text it belongs to (new for added, old for removed).</summary>
public sealed record DiffLine(string Kind, int Line, string Text)
{
    public const string AddedKind = "added";
    public const string RemovedKind = "removed";
}
