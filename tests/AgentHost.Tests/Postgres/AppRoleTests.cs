using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using Npgsql;

namespace AgentHost.Tests.Postgres;

/// <summary>
/// The two roles of docs/operations.md on the real server: the host migrates as the owner and grants the
/// application role (StoreGrants), then does all its work as that role; the role may append to the audit
/// trail and read it, but neither rewrite it nor switch its triggers off, whatever SQL it sends.
/// </summary>
public sealed class AppRoleTests : IAsyncLifetime
{
    private const string Password = "app-role-test-password";

    // Roles belong to the whole (throwaway) cluster: a fresh name per test, never dropped, never shared.
    private readonly string _role = "app_" + Guid.NewGuid().ToString("N")[..16];
    private string _owner = null!;
    private string _app = null!;

    public async Task InitializeAsync()
    {
        _owner = TestPostgres.Database(Guid.NewGuid().ToString("N"));
        await using (var superuser = new NpgsqlConnection(SuperuserConnectionString()))
        {
            await superuser.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE ROLE {_role} LOGIN PASSWORD '{Password}'", superuser);
            await create.ExecuteNonQueryAsync();
        }

        _app = new NpgsqlConnectionStringBuilder(_owner) { Username = _role, Password = Password }.ToString();
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TheHost_AsTheAppRole_RunsAndResumesARun_AndAppendsAVerifiableAuditTrail()
    {
        await using var model = await ModelEmulator.StartAsync();
        using var host = new RunHostFactory(model, new RecordingToolExecutor(), settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:AgentHost"] = _app,
            ["ConnectionStrings:AgentHostOwner"] = _owner,
            ["Store:AppRole"] = _role,
        });

        var (runId, approvalId) = await RunsApi.ParkAsync(host, model);
        model.Enqueue(new ModelReply.Text("Sent the status mail."));
        var decided = await host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var run = await RunsApi.WaitForAsync(host, runId);

        decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync());
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var verified = await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/audit/verify");
        verified.GetProperty("valid").GetBoolean().ShouldBeTrue(verified.ToString());
        (await AsAppRoleAsync("SELECT COUNT(*) FROM audit_events WHERE run_id = @run", runId)).ShouldBeOfType<long>().ShouldBeGreaterThan(3);
        (await AsAppRoleAsync("SELECT current_user")).ShouldBe(_role);
    }

    [Theory]
    [InlineData("UPDATE audit_events SET data = '{}'")]
    [InlineData("DELETE FROM audit_events")]
    [InlineData("TRUNCATE audit_events")]
    [InlineData("UPDATE audit_checkpoints SET note = 'forged'")]
    [InlineData("DELETE FROM audit_checkpoints")]
    [InlineData("ALTER TABLE audit_events DISABLE TRIGGER ALL")]
    [InlineData("DROP TABLE audit_events")]
    [InlineData("INSERT INTO schema_version (version) VALUES (999)")]
    [InlineData("DELETE FROM schema_version")]
    public async Task TheAppRole_MayNotRewriteTheAuditTrail_NorTheSchema(string sql)
    {
        await MigrateAndGrantAsync();

        var refused = await Should.ThrowAsync<PostgresException>(() => AsAppRoleAsync(sql));

        // 42501 is the privilege check, which comes before the append-only triggers: two locks, not one.
        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege, refused.MessageText);
    }

    [Fact]
    public async Task TheAppRole_MayAppendToTheAuditTrail_AndReadIt()
    {
        await MigrateAndGrantAsync();

        (await AsAppRoleAsync("SELECT has_table_privilege(current_user, 'audit_events', 'INSERT') AND has_table_privilege(current_user, 'audit_checkpoints', 'INSERT')")).ShouldBe(true);
        (await AsAppRoleAsync("SELECT has_table_privilege(current_user, 'audit_events', 'SELECT')")).ShouldBe(true);
        (await AsAppRoleAsync("SELECT has_table_privilege(current_user, 'runs', 'UPDATE') AND has_table_privilege(current_user, 'inbound_events', 'DELETE')")).ShouldBe(true);
    }

    /// <summary>What the host does at start-up as the owner: migrate, then grant (no need for a whole host here).</summary>
    private async Task MigrateAndGrantAsync()
    {
        await using var owner = new AgentHost.Core.Storage.PostgresDatabase(_owner);
        await AgentHost.Core.Storage.SchemaMigrator.MigrateAsync(owner, AgentHost.Core.Storage.Schema.Migrations, CancellationToken.None);
        await AgentHost.Store.StoreGrants.ApplyAsync(owner, _role, CancellationToken.None);
    }

    private async Task<object?> AsAppRoleAsync(string sql, string? run = null)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_app) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (run is not null)
        {
            command.Parameters.AddWithValue("run", run);
        }

        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Creating a role takes a superuser; the test server's is reachable only over its Unix socket, in the
    /// folder start-postgres.sh prints as AGENTHOST_PG_DIR (trust for local connections).
    /// </summary>
    private static string SuperuserConnectionString()
    {
        var socketFolder = Environment.GetEnvironmentVariable("AGENTHOST_PG_DIR")
            ?? throw new InvalidOperationException("AGENTHOST_PG_DIR is not set: run the tests with ./test.sh, or export what tests/postgres/start-postgres.sh prints");
        return new NpgsqlConnectionStringBuilder(TestPostgres.ServerConnectionString)
        {
            Host = socketFolder,
            Username = "postgres",
            Password = null,
            Database = "postgres",
            Pooling = false,
        }.ToString();
    }
}
