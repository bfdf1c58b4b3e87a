namespace AgentHost.Core.Storage.Migrations;

internal static class M014_DataProtectionKeys
{
    // The same words in both dialects: the XML of each ASP.NET Core data-protection key, by its friendly name.
    private const string Sql = "CREATE TABLE data_protection_keys (name TEXT PRIMARY KEY, xml TEXT NOT NULL, created_at TEXT NOT NULL);";

    public static Migration Migration { get; } = new(14, "data-protection keys shared by the processes of one deployment", Sqlite: Sql, Postgres: Sql);
}
