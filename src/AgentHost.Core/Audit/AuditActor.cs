namespace AgentHost.Core.Audit;

/// <summary>Who caused an audit event: "employee:alice@example.com", "agent:ag_1", "system".</summary>
public readonly record struct AuditActor(string Kind, string? Id)
{
    public static AuditActor System { get; } = new("system", null);

    public static AuditActor Employee(string email) => new("employee", email);

    public static AuditActor Agent(string agentId) => new("agent", agentId);

    public static AuditActor Approver(string email) => new("approver", email);

    public override string ToString() => Id is null ? Kind : $"{Kind}:{Id}";

    public static AuditActor Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new AuditActor(value, null) : new AuditActor(value[..colon], value[(colon + 1)..]);
    }
}
