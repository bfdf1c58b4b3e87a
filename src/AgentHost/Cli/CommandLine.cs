namespace AgentHost.Cli;

/// <summary>
/// The reviewer's verbs. They run without the web host and without network: a security reviewer can
/// check a copied database or an export on an offline machine.
/// </summary>
public static class CommandLine
{
    private const string Usage = """
        usage:
          agenthost policy check [--path policies]
          agenthost policy test  [--path policies]
          agenthost policy replay [--path policies] (--db FILE | --connection CONN) [--since 7d] [--baseline DIR] [--directory FILE] [--fail-on-change]
          agenthost audit verify (--db FILE | --export FILE.jsonl) [--checkpoints FILE] [--public-key FILE.pem]
          agenthost audit prove  --db FILE --size N (--seq N | --from N)
          agenthost audit public-key [--key FILE.pem]
        """;

    public static bool IsCommand(IReadOnlyList<string> args) =>
        args is [("policy" or "audit"), ..];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var parsed = CommandLineArguments.Parse(args);
        try
        {
            return parsed.Words switch
            {
                ["policy", "check"] => PolicyCommands.Check(parsed, output, error),
                ["policy", "test"] => PolicyCommands.Test(parsed, output, error),
                ["policy", "replay"] => await PolicyReplayCommand.RunAsync(parsed, output, error, cancellationToken),
                ["audit", "verify"] => await AuditCommands.VerifyAsync(parsed, output, cancellationToken),
                ["audit", "prove"] => await AuditCommands.ProveAsync(parsed, output, cancellationToken),
                ["audit", "public-key"] => AuditCommands.PublicKey(parsed, output),
                _ => throw new CommandLineException("unknown command"),
            };
        }
        catch (CommandLineException ex)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            await error.WriteLineAsync(Usage);
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Data.Common.DbException or FormatException or System.Text.Json.JsonException)
        {
            // An unreadable or corrupted file is the reviewer's finding, said in one line, never a stack trace.
            await error.WriteLineAsync($"error: {ex.Message}");
            return 1;
        }
    }
}
