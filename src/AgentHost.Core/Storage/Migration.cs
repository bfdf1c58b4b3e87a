namespace AgentHost.Core.Storage;

/// <summary>
/// One forward-only schema step, in both dialects side by side. Versions are applied in order, each
/// exactly once; <c>schema_version</c> records only the number, so a step's text may move but never change meaning.
/// </summary>
public sealed record Migration(int Version, string Name, string Sqlite, string Postgres)
{
    public string For(StoreDialect dialect) => dialect == StoreDialect.Postgres ? Postgres : Sqlite;
}
