using System.Runtime.CompilerServices;
using AgentHost.Cli;
using AgentHost.Core.Audit;
using AgentHost.Tests.Audit;
using Microsoft.Data.Sqlite;

namespace AgentHost.Tests.Security.Fuzzing;

/// <summary>
/// `agenthost audit verify` on corrupted evidence: a mutated JSON Lines export and a mutated copy of the
/// database file. A reviewer gets a clear verdict and a non-zero exit, never a stack trace; an intact
/// file still verifies, so the test would notice a verifier that refused everything.
/// </summary>
public sealed class AuditVerifyFuzzTests : IAsyncLifetime
{
    public const int ExportExecutions = 800;
    public const int DatabaseExecutions = 120;

    private static readonly string[] Tokens = ["{", "}", "\"", ",", ":", "null", "1e400", "-1", "\"seq\":", "\"leafHash\":\"zz\"", "\"ts\":\"x\"", "{\"checkpoint\":", "{\"checkpoint\":1}", "\n", "\\u0000", "\"data\":[]"];

    private AuditLogFixture _log = null!;
    private string _export = null!;
    private string _publicKey = null!;

    public async Task InitializeAsync()
    {
        _log = await AuditLogFixture.StartAsync(checkpointEvery: 4);
        await _log.AppendManyAsync(10);
        await _log.Writer.StopAsync();
        SqliteConnection.ClearAllPools();
        _export = Path.Combine(_log.Directory, "export.jsonl");
        await using (var file = File.Create(_export))
        {
            await AuditExport.WriteJsonLinesAsync(file, AuditDatabaseFile.ReadCheckpointNotes(_log.DatabasePath), Events(_log.DatabasePath), CancellationToken.None);
        }

        _publicKey = Path.Combine(_log.Directory, "public.pem");
        await File.WriteAllTextAsync(_publicKey, _log.Signer.PublicKeyPem);
    }

    public async Task DisposeAsync() => await _log.DisposeAsync();

    [Fact]
    public async Task VerifyExport_OnMutatedExports_GivesAVerdict_NeverAnException()
    {
        var intact = await RunAsync("audit", "verify", "--export", _export, "--public-key", _publicKey);
        intact.Code.ShouldBe(0, intact.Output + intact.Error);
        var text = await File.ReadAllTextAsync(_export);
        var mutator = new Mutator(seed: 9_004, Tokens);
        var failures = new List<string>();
        var invalid = 0;
        var corrupt = Path.Combine(_log.Directory, "corrupt.jsonl");
        for (var i = 0; i < ExportExecutions; i++)
        {
            var mutated = mutator.Mutate(text);
            await File.WriteAllTextAsync(corrupt, mutated, new System.Text.UTF8Encoding(false, false));
            var result = await RunAsync("audit", "verify", "--export", corrupt, "--public-key", _publicKey);
            invalid += result.Code == 1 ? 1 : 0;
            if (result.Exception is not null || result.Code is not (0 or 1) || (result.Code == 1 && !result.Output.StartsWith("INVALID: ", StringComparison.Ordinal)))
            {
                failures.Add($"#{i}: exit {result.Code}, {result.Exception?.GetType().Name}: {result.Exception?.Message ?? result.Output}");
            }
        }

        FuzzReport.Record("audit verify export", ExportExecutions, failures.Count, $"{invalid} reported INVALID, the rest were mutations the format ignores (whitespace) and verified");
        failures.ShouldBeEmpty(string.Join('\n', failures.Take(10)));
    }

    [Fact]
    public async Task VerifyDatabase_OnCorruptedCopies_GivesAVerdict_NeverAnException()
    {
        var bytes = await File.ReadAllBytesAsync(_log.DatabasePath);
        var mutator = new Mutator(seed: 9_005, Tokens);
        var failures = new List<string>();
        var corrupt = Path.Combine(_log.Directory, "corrupt.db");
        for (var i = 0; i < DatabaseExecutions; i++)
        {
            await File.WriteAllBytesAsync(corrupt, mutator.MutateBytes(bytes));
            var result = await RunAsync("audit", "verify", "--db", corrupt, "--public-key", _publicKey);
            SqliteConnection.ClearAllPools();
            if (result.Exception is not null || result.Code is not (0 or 1))
            {
                failures.Add($"#{i}: exit {result.Code}, {result.Exception?.GetType().Name}: {result.Exception?.Message}");
            }
        }

        FuzzReport.Record("audit verify database", DatabaseExecutions, failures.Count, "byte flips, cuts and truncations of a 10-event SQLite file");
        failures.ShouldBeEmpty(string.Join('\n', failures.Take(10)));
    }

    [Fact]
    public async Task VerifyExport_OnATruncatedExport_FailsWithAReason()
    {
        var lines = await File.ReadAllLinesAsync(_export);
        var truncated = Path.Combine(_log.Directory, "truncated.jsonl");
        await File.WriteAllTextAsync(truncated, string.Join('\n', lines[..^3]) + "\n" + lines[^3][..20]);

        var result = await RunAsync("audit", "verify", "--export", truncated, "--public-key", _publicKey);

        result.Exception.ShouldBeNull();
        result.Code.ShouldBe(1);
        result.Output.ShouldStartWith("INVALID: ");
    }

    private static async Task<(int Code, string Output, string Error, Exception? Exception)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            var code = await CommandLine.RunAsync(args, output, error, CancellationToken.None);
            return (code, output.ToString(), error.ToString(), null);
        }
        catch (Exception ex)
        {
            return (-1, output.ToString(), error.ToString(), ex);
        }
    }

    private static async IAsyncEnumerable<AuditEvent> Events(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var e in AuditDatabaseFile.ReadEvents(path))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }

        await Task.CompletedTask;
    }
}
