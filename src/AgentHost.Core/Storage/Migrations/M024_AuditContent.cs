namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// The conversation in the trail: model messages, replies, tool results and outputs, stored once each by
/// SHA-256 (audit_content) and committed to by the audit leaves that name their hash. Retention may empty a
/// body (removed_at) and nothing may delete a row or change what it claims to be; legal_holds exempt an agent
/// or a run from retention.
/// </summary>
internal static class M024_AuditContent
{
    private const string Holds = """
        CREATE TABLE legal_holds (
            id TEXT PRIMARY KEY,
            target_kind TEXT NOT NULL,
            target_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            placed_by TEXT NOT NULL,
            placed_at BIGINT NOT NULL,
            released_by TEXT NULL,
            released_at BIGINT NULL
        );
        CREATE INDEX ix_legal_holds_target ON legal_holds (target_kind, target_id);
        CREATE INDEX ix_audit_content_age ON audit_content (kind, stored_at);
        """;

    public static Migration Migration { get; } = new(
        24,
        "the conversation in the trail: content by SHA-256 with retention, and legal holds",
        Sqlite: """
            CREATE TABLE audit_content (
                sha256 TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                bytes BIGINT NOT NULL,
                original_bytes BIGINT NOT NULL,
                body BLOB NULL,
                stored_at BIGINT NOT NULL,
                removed_at BIGINT NULL
            );
            CREATE TRIGGER audit_content_no_delete BEFORE DELETE ON audit_content
                BEGIN SELECT RAISE(ABORT, 'audit_content rows are never deleted: retention empties the body'); END;
            CREATE TRIGGER audit_content_identity BEFORE UPDATE OF sha256, kind, bytes, original_bytes ON audit_content
                BEGIN SELECT RAISE(ABORT, 'audit_content: only the body and its times may change'); END;
            """ + Holds,
        Postgres: """
            CREATE TABLE audit_content (
                sha256 TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                bytes BIGINT NOT NULL,
                original_bytes BIGINT NOT NULL,
                body BYTEA NULL,
                stored_at BIGINT NOT NULL,
                removed_at BIGINT NULL
            );
            CREATE FUNCTION audit_content_guard() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'UPDATE' THEN
                        RAISE EXCEPTION 'audit_content rows are never deleted: retention empties the body';
                    END IF;
                    IF NEW.sha256 <> OLD.sha256 OR NEW.kind <> OLD.kind OR NEW.bytes <> OLD.bytes OR NEW.original_bytes <> OLD.original_bytes THEN
                        RAISE EXCEPTION 'audit_content: only the body and its times may change';
                    END IF;
                    RETURN NEW;
                END; $$;
            CREATE TRIGGER audit_content_guard BEFORE UPDATE OR DELETE ON audit_content
                FOR EACH ROW EXECUTE FUNCTION audit_content_guard();
            CREATE TRIGGER audit_content_no_truncate BEFORE TRUNCATE ON audit_content
                FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
            """ + Holds);
}
