namespace AgentHost.Core.Storage;

public enum StoreDialect
{
    Sqlite,
    Postgres,
}
