using AgentHost.Core.Storage;

namespace AgentHost.Store;

/// <summary>
/// What the application role may do after the owner migrated (docs/operations.md): read and write the
/// working tables, only read and insert the audit trail (the triggers refuse the rest too), only read
/// schema_version, and use Hangfire's schema. Idempotent; run after every migration, so new tables are covered.
/// </summary>
public static class StoreGrants
{
    public static async Task ApplyAsync(StoreDatabase owner, string appRole, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentException.ThrowIfNullOrWhiteSpace(appRole);
        await using var connection = await owner.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();

        // appRole is a validated identifier (StoreMigration): DDL takes no parameters.
        command.CommandText = $"""
            GRANT USAGE ON SCHEMA public TO {appRole};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {appRole};
            REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_checkpoints FROM {appRole};
            REVOKE DELETE, TRUNCATE ON audit_content FROM {appRole};
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_version FROM {appRole};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {appRole};
            DO $$ BEGIN
                IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'hangfire') THEN
                    GRANT USAGE ON SCHEMA hangfire TO {appRole};
                    GRANT ALL ON ALL TABLES IN SCHEMA hangfire TO {appRole};
                    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA hangfire TO {appRole};
                END IF;
            END $$;
            """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
