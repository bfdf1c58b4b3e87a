using Npgsql;

namespace AgentHost.Tests.Infrastructure;

/// <summary>
/// The real PostgreSQL that test.sh starts on loopback (tests/postgres/start-postgres.sh). Each test gets
/// a database of its own. Without the server the tests fail, loudly: they are never skipped.
/// </summary>
public static class TestPostgres
{
    /// <summary>Set to "postgres" to run the host tests on PostgreSQL instead of SQLite.</summary>
    public static bool HostTestsOnPostgres => string.Equals(Environment.GetEnvironmentVariable("AGENTHOST_TEST_STORE"), "postgres", StringComparison.OrdinalIgnoreCase);

    public static string ServerConnectionString => Environment.GetEnvironmentVariable("AGENTHOST_TEST_POSTGRES")
        ?? throw new InvalidOperationException("AGENTHOST_TEST_POSTGRES is not set: run the tests with ./test.sh, which starts PostgreSQL");

    /// <summary>The connection string of database <paramref name="name"/>, created if it does not exist yet (a restarted host finds its data).</summary>
    public static string Database(string name)
    {
        var database = "agenthost_" + new string(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());
        using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false }.ToString()))
        {
            connection.Open();
            using var exists = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", database);
            if ((long)exists.ExecuteScalar()! == 0)
            {
                using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                create.ExecuteNonQuery();
            }
        }

        // Hundreds of short-lived hosts, each with its own database and pools (the store's and Hangfire's):
        // idle connections are closed within seconds, not Npgsql's default five minutes, so the hosts of
        // finished tests do not hold the server's connection slots.
        return new NpgsqlConnectionStringBuilder(ServerConnectionString)
        {
            Database = database,
            MaxPoolSize = 20,
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
        }.ToString();
    }
}
