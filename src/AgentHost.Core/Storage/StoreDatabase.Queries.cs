using System.Data.Common;
using System.Globalization;
using Dapper;

namespace AgentHost.Core.Storage;

/// <summary>
/// The one way stores query: Dapper, named parameters (@name, from an anonymous object or
/// <see cref="DynamicParameters"/>) and typed rows mapped by column name, never by position.
/// Each call opens a pooled connection, runs one command and returns it.
/// </summary>
public abstract partial class StoreDatabase
{
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.QueryAsync<T>(Command(sql, parameters, null, cancellationToken))).AsList();
    }

    public async Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(Command(sql, parameters, null, cancellationToken));
    }

    public async Task<T> ScalarAsync<T>(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await connection.ExecuteScalarAsync<T>(Command(sql, parameters, null, cancellationToken)))!;
    }

    /// <summary>Runs a write; returns the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(sql, parameters, null, cancellationToken));
    }

    public async Task<int> ExecuteAsync(StoreWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (write.Next is null)
        {
            return await ExecuteAsync(write.Sql, write.Parameters, cancellationToken);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var affected = await ExecuteAsync(transaction, write, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return affected;
    }

    /// <summary>A write inside a transaction the caller holds (several writes that commit together), with the writes chained to it.</summary>
    /// <returns>The rows the first write affected (a chained write's count is its own business).</returns>
    public static async Task<int> ExecuteAsync(DbTransaction transaction, StoreWrite write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(write);
        var connection = transaction.Connection!;
        var affected = await connection.ExecuteAsync(Command(write.Sql, write.Parameters, transaction, cancellationToken));
        for (var next = write.Next; next is not null; next = next.Next)
        {
            await connection.ExecuteAsync(Command(next.Sql, next.Parameters, transaction, cancellationToken));
        }

        return affected;
    }

    public static CommandDefinition Command(string sql, object? parameters, DbTransaction? transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, cancellationToken: cancellationToken);

    /// <summary>
    /// "(@p0, @p1, ...)" for an IN list, each value added to <paramref name="parameters"/>: one named
    /// parameter per value, which both SQLite and PostgreSQL accept (Dapper would send PostgreSQL an array).
    /// </summary>
    public static string InList(DynamicParameters parameters, string prefix, IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(values);
        var names = new List<string>();
        foreach (var value in values)
        {
            var name = prefix + names.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(name, value);
            names.Add("@" + name);
        }

        return "(" + string.Join(", ", names) + ")";
    }
}
