using System.Data.Common;
using Npgsql;

namespace AgentHost.Core.Storage;

/// <summary>
/// The shared store of a scaled-out deployment: any number of web and worker processes on one PostgreSQL
/// database. Npgsql pools connections; commits are durable with PostgreSQL's defaults (fsync, synchronous_commit).
/// </summary>
public sealed class PostgresDatabase : StoreDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;

    public PostgresDatabase(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"{builder.Host}:{builder.Port}/{builder.Database}";
        _source = NpgsqlDataSource.Create(builder);
    }

    public override StoreDialect Dialect => StoreDialect.Postgres;

    public override string Description { get; }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => await _source.OpenConnectionAsync(cancellationToken);

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
