namespace AgentHost.Core.Storage;

/// <summary>
/// One forward-only schema step. Versions are applied in order, each exactly once. The same versions
/// exist for both stores; <see cref="PostgresSql"/> says the step in PostgreSQL's words.
/// </summary>
public sealed record Migration(int Version, string Name, string Sql, string PostgresSql)
{
    public string For(StoreDialect dialect) => dialect == StoreDialect.Postgres ? PostgresSql : Sql;
}
