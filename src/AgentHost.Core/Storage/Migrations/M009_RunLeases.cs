namespace AgentHost.Core.Storage.Migrations;

internal static class M009_RunLeases
{
    public static Migration Migration { get; } = new(9, "which process executes a running run, and until when",
        Sqlite: "ALTER TABLE runs ADD COLUMN lease_owner TEXT NULL; ALTER TABLE runs ADD COLUMN lease_until INTEGER NULL;",
        Postgres: "ALTER TABLE runs ADD COLUMN lease_owner TEXT NULL; ALTER TABLE runs ADD COLUMN lease_until BIGINT NULL;");
}
