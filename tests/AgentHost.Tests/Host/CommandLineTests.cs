using AgentHost.Cli;
using AgentHost.Core.Audit;
using AgentHost.Tests.Audit;
using Microsoft.Data.Sqlite;

namespace AgentHost.Tests.Host;

public sealed class CommandLineTests
{
    [Fact]
    public async Task PolicyTest_OnTheShippedPolicies_PassesEveryCase()
    {
        var (code, output, _) = await RunAsync("policy", "test", "--path", Path.Combine(RepositoryRoot.Path, "policies"), "--directory", Path.Combine(RepositoryRoot.Path, "src", "AgentHost", "directory.yaml"));

        code.ShouldBe(0, output);
        output.ShouldMatch(@"\d+ passed, 0 failed");
    }

    [Fact]
    public async Task PolicyCheck_OnABrokenFolder_PrintsFileLineColumn_AndFails()
    {
        var dir = Directory.CreateTempSubdirectory("agenthost-cli-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "p.yaml"), "rules:\n  - id: a\n    decision: perhaps\n");

        var (code, _, error) = await RunAsync("policy", "check", "--path", dir);

        code.ShouldBe(1);
        error.ShouldContain("p.yaml:3:15: decision must be allow, deny or require_approval");
    }

    [Fact]
    public async Task AuditVerify_OnACopiedDatabase_FindsATamperedEvent()
    {
        await using var log = await AuditLogFixture.StartAsync(checkpointEvery: 5);
        await log.AppendManyAsync(12);
        await log.Writer.StopAsync();
        SqliteConnection.ClearAllPools();
        var publicKey = Path.Combine(log.Directory, "public.pem");
        await File.WriteAllTextAsync(publicKey, log.Signer.PublicKeyPem);

        var clean = await RunAsync("audit", "verify", "--db", log.DatabasePath, "--checkpoints", log.Options.CheckpointFile, "--public-key", publicKey);
        await log.TamperAsync("UPDATE audit_events SET type = 'run.succeeded' WHERE seq = 7");
        var tampered = await RunAsync("audit", "verify", "--db", log.DatabasePath, "--checkpoints", log.Options.CheckpointFile, "--public-key", publicKey);
        var proof = await RunAsync("audit", "prove", "--db", log.DatabasePath, "--seq", "3", "--size", "12");

        clean.Code.ShouldBe(0, clean.Output);
        clean.Output.ShouldStartWith("VALID: 12 events");
        tampered.Code.ShouldBe(1);
        tampered.Output.ShouldContain("first invalid seq: 7");
        proof.Code.ShouldBe(0, proof.Output);
        proof.Output.ShouldContain("inclusion of event 3 in tree size 12: verified");
    }

    [Theory]
    [InlineData("audit", "verify")]
    [InlineData("audit", "verify", "--db", "/nonexistent/file.db")]
    [InlineData("audit", "prove", "--db")]
    [InlineData("policy", "frobnicate")]
    public async Task UsageMistakes_ExitWith2_AndAOneLineReason(params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        code.ShouldBe(2);
        error.ShouldStartWith("error: ");
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
