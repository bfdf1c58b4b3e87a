namespace AgentHost.Core.Audit;

/// <summary>The filters free-text search answers from keys (<see cref="AuditSearchDocument.Key"/>).</summary>
public enum AuditSearchKey
{
    Type,
    Actor,
    Agent,
    Run,
    Person,
    Function,
    Decision,
    Rule,
}
