namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// An inbound event can carry the work it asks for (a Slack button click), written before the request
/// is acknowledged and marked handled once applied, so a host that dies after the acknowledgement loses
/// nothing: unhandled rows are replayed. Pruning reads received_at, hence its index. A run counts how
/// often it was re-queued after its worker died, so one that kills every worker stops being retried.
/// </summary>
internal static class M016_InboundPayloads
{
    public static Migration Migration { get; } = new(
        16,
        "inbound events carry their payload until handled; pruned by age; runs count their re-queues",
        """
        ALTER TABLE inbound_events ADD COLUMN payload TEXT NULL;
        ALTER TABLE inbound_events ADD COLUMN handled_at INTEGER NULL;
        CREATE INDEX ix_inbound_events_received ON inbound_events (received_at);
        ALTER TABLE runs ADD COLUMN requeues INTEGER NOT NULL DEFAULT 0;
        """,
        """
        ALTER TABLE inbound_events ADD COLUMN payload TEXT NULL;
        ALTER TABLE inbound_events ADD COLUMN handled_at BIGINT NULL;
        CREATE INDEX ix_inbound_events_received ON inbound_events (received_at);
        ALTER TABLE runs ADD COLUMN requeues INTEGER NOT NULL DEFAULT 0;
        """);
}
