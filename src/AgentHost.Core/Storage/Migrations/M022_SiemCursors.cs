namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// How far the SIEM stream got for each destination, what last went wrong, and which process forwards
/// to it until when (a lease: with several workers on PostgreSQL only one sends to a destination, so
/// the receiver sees one ordered stream, not interleaved copies).
/// </summary>
internal static class M022_SiemCursors
{
    public static Migration Migration { get; } = new(
        22,
        "the SIEM stream's cursor, last error and lease per destination",
        """
        CREATE TABLE siem_cursors (
            destination TEXT PRIMARY KEY,
            last_seq INTEGER NOT NULL,
            forwarded_at INTEGER NULL,
            last_error TEXT NULL,
            last_error_at INTEGER NULL,
            lease_owner TEXT NULL,
            lease_until INTEGER NULL
        );
        """,
        """
        CREATE TABLE siem_cursors (
            destination TEXT PRIMARY KEY,
            last_seq BIGINT NOT NULL,
            forwarded_at BIGINT NULL,
            last_error TEXT NULL,
            last_error_at BIGINT NULL,
            lease_owner TEXT NULL,
            lease_until BIGINT NULL
        );
        """);
}
