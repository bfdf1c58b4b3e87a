using AgentHost.Core.Storage;

namespace AgentHost.Core.Audit;

/// <summary>A row of audit_events as stored, read by column name.</summary>
internal sealed record AuditEventRow
{
    public const string Select = "SELECT seq, ts, type, actor, agent_id, run_id, data, leaf_hash FROM audit_events";

    public long Seq { get; init; }
    public long Ts { get; init; }
    public string Type { get; init; } = "";
    public string Actor { get; init; } = "";
    public string? AgentId { get; init; }
    public string? RunId { get; init; }
    public string Data { get; init; } = "";
    public byte[] LeafHash { get; init; } = [];

    public AuditEvent ToEvent() => new(Seq, StoreTime.FromMicroseconds(Ts), Type, AuditActor.Parse(Actor), AgentId, RunId, Data, LeafHash);
}
