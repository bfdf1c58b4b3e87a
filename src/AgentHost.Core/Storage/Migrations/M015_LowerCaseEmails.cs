namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// E-mail addresses in lower case in both stores, and the same plain indexes: SQLite compared owners and
/// approvers by NOCASE collation, PostgreSQL owners by a lower() index and approvers not at all. Stores write
/// addresses lower case from now on, so neither needs collation or expression indexes.
/// SQLite cannot drop a column's collation in place: it rebuilds <c>agents</c> and <c>approval_votes</c>, two
/// small tables (one row per agent, one per decision); the big ones (runs, calls, audit) are only updated.
/// <c>agents</c> is the parent of <c>runs</c> and <c>mailbox_cursors</c>: with foreign keys deferred for this
/// transaction, the children point at the rebuilt table by name and the commit checks every one of them.
/// The audit trail keeps its spellings: it is append-only and hashed into the Merkle tree.
/// </summary>
internal static class M015_LowerCaseEmails
{
    public static Migration Migration { get; } = new(15, "e-mail addresses in lower case; the same plain indexes in both dialects",
        Sqlite: """
            PRAGMA defer_foreign_keys = ON;

            CREATE TEMP TABLE m015_agents AS SELECT * FROM agents;
            DROP TABLE agents;
            CREATE TABLE agents (
                id TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                definition TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                version INTEGER NOT NULL
            );
            INSERT INTO agents (id, owner, definition, disabled, created_at, updated_at, version)
                SELECT id, lower(owner), definition, disabled, created_at, updated_at, version FROM temp.m015_agents ORDER BY rowid;
            DROP TABLE temp.m015_agents;
            CREATE INDEX ix_agents_owner ON agents (owner);

            CREATE TEMP TABLE m015_votes AS SELECT * FROM approval_votes;
            DROP TABLE approval_votes;
            CREATE TABLE approval_votes (
                approval_id TEXT NOT NULL REFERENCES approvals (id),
                approver TEXT NOT NULL,
                decision TEXT NOT NULL,
                comment TEXT NULL,
                at INTEGER NOT NULL,
                PRIMARY KEY (approval_id, approver)
            );
            -- NOCASE kept two spellings of one approver out of the key, and lower() folds what NOCASE folded.
            INSERT INTO approval_votes (approval_id, approver, decision, comment, at)
                SELECT approval_id, lower(approver), decision, comment, at FROM temp.m015_votes ORDER BY rowid;
            DROP TABLE temp.m015_votes;

            UPDATE approvals SET owner = lower(owner) WHERE owner <> lower(owner);
            UPDATE runs SET requester = lower(requester) WHERE requester <> lower(requester);
            UPDATE runs SET started_by = lower(started_by) WHERE started_by <> lower(started_by);
            UPDATE agent_scope_grants SET granted_by = lower(granted_by) WHERE granted_by <> lower(granted_by);
            """,
        Postgres: """
            DROP INDEX ix_agents_owner;
            UPDATE agents SET owner = lower(owner) WHERE owner <> lower(owner);
            CREATE INDEX ix_agents_owner ON agents (owner);

            -- The key was case-sensitive here, so one approver may have voted twice in two spellings: the
            -- first of them (by time) becomes lower case, a later one keeps its spelling rather than be lost.
            UPDATE approval_votes v SET approver = lower(v.approver)
            WHERE v.approver <> lower(v.approver)
              AND NOT EXISTS (
                  SELECT 1 FROM approval_votes o
                  WHERE o.approval_id = v.approval_id AND lower(o.approver) = lower(v.approver) AND o.approver <> v.approver
                    AND (o.approver = lower(o.approver) OR o.at < v.at OR (o.at = v.at AND o.approver < v.approver)));

            UPDATE approvals SET owner = lower(owner) WHERE owner <> lower(owner);
            UPDATE runs SET requester = lower(requester) WHERE requester <> lower(requester);
            UPDATE runs SET started_by = lower(started_by) WHERE started_by <> lower(started_by);
            UPDATE agent_scope_grants SET granted_by = lower(granted_by) WHERE granted_by <> lower(granted_by);
            """);
}
