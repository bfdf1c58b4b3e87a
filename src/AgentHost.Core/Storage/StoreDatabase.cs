using System.Data.Common;
using Dapper;

namespace AgentHost.Core.Storage;

/// <summary>
/// The store: SQLite embedded in one process, or PostgreSQL shared by many. Stores write SQL both accept
/// (named parameters as @name, ON CONFLICT, RETURNING) and ask here for the few words that differ.
/// </summary>
public abstract partial class StoreDatabase
{
    private long _opened;

    // Typed rows name their properties in C# (RunId) and the columns stay snake_case (run_id).
    static StoreDatabase() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public abstract StoreDialect Dialect { get; }

    /// <summary>Where the store is, for logs: a file, or host and database (never a password).</summary>
    public abstract string Description { get; }

    /// <summary>Connections handed out so far: each is at least one store round trip (the idle-host budget counts them).</summary>
    public long ConnectionsOpened => Interlocked.Read(ref _opened);

    /// <summary>The column that orders rows as they were inserted.</summary>
    public string InsertionOrder => Dialect == StoreDialect.Sqlite ? "rowid" : "ord";

    /// <summary>The larger of two values, as a SQL expression.</summary>
    public string Greatest(string left, string right) => Dialect == StoreDialect.Sqlite ? $"MAX({left}, {right})" : $"GREATEST({left}, {right})";

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opened);
        return await OpenConnectionAsync(cancellationToken);
    }

    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);
}
