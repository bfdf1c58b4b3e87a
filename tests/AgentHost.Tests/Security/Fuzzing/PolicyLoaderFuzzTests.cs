using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Tools;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Security.Fuzzing;

/// <summary>
/// The policy loader on mutated copies of the shipped policies: whatever the bytes, it returns a policy
/// set or errors naming the file and a line, and never throws. A throw here is a host that crashes on
/// a bad edit instead of keeping the last good policy set.
/// </summary>
public sealed class PolicyLoaderFuzzTests
{
    public const int Executions = 2_000;

    private static readonly string[] Tokens =
    [
        "&a ", "*a", "!!binary ", "!tag ", "? ", ": ", "- ", "---\n", "...\n", "%YAML 1.2\n", "%TAG ! x\n", "{", "}", "[", "]",
        "'", "\"", "|\n", ">-\n", "#", "\t", "\\u0000", "rules:", "lists:", "match:", "when:", "decision: allow", "tainted: any_sink",
        "approval: { group: x, count: -1, timeout: 99999h }", "functions: [", "glob: \"[\"", "argument: ", "in_scope: ", "<<: *a",
    ];

    [Fact]
    public void Load_OnMutatedPolicies_NeverThrows_AndEveryErrorNamesAFileAndLine()
    {
        var shipped = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "policies"), "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => new PolicyFile(Path.GetFileName(f), File.ReadAllText(f))).ToList();
        var mutator = new Mutator(seed: 9_001, Tokens);
        var failures = new List<string>();
        var rejected = 0;
        for (var i = 0; i < Executions; i++)
        {
            var victim = mutator.Next(shipped.Count);
            var files = shipped.Select((f, n) => n == victim ? f with { Text = mutator.Mutate(f.Text) } : f).ToList();
            try
            {
                var result = PolicyLoader.Load(files, TestCatalog.Standard);
                if (result.PolicySet is null)
                {
                    rejected++;
                    result.Errors.ShouldNotBeEmpty();
                    result.Errors.ShouldAllBe(e => e.File.Length > 0 && e.Line >= 0);
                }
            }
            catch (Exception ex)
            {
                failures.Add($"#{i} in {files[victim].Name}: {ex.GetType().Name}: {ex.Message}\n{System.Text.Json.JsonSerializer.Serialize(files[victim].Text)}");
            }
        }

        FuzzReport.Record("policy loader", Executions, failures.Count, $"{rejected} inputs rejected with located errors");
        failures.ShouldBeEmpty(string.Join('\n', failures.Take(3)));
    }

    /// <summary>
    /// Inputs the fuzzer found on which YamlDotNet's scanner throws InvalidOperationException instead of
    /// a YamlException (an unterminated flow mapping cut by a line break); the loader once crashed on them.
    /// </summary>
    [Theory]
    [InlineData("rules:\n  - id: deploy-read-granted-repos\n    description: Agents may read pull requests and deployment status of the repositories they were granted.\n    match: { functi\nns: [deploy.list_pull_")]
    [InlineData("# Rules for every tool. Deny is the default: a call no rule channel, rallows is refused (rule \"default-deny\").\nlists:\n  # The organisation's own mail domains; the host adds Email:InternalDomains at load time in a later release.\n  internal_domains: [examp\nrules:\n  - id: tainted-sink-needs-security-approval\n    description: >-\n      The destination of this write (a channel, recipient, repository or ref) appeared in untrusted\n      content the agent read, which is what a pro")]
    [InlineData("rules:\n  - id: a\n    match: { functi\nns: [slack.post_message\n")]
    public void Load_OnInputsTheScannerChokesOn_ReportsAnError_NotAnException(string text)
    {
        var result = PolicyLoader.Load([new PolicyFile("broken.yaml", text)], TestCatalog.Standard);

        result.PolicySet.ShouldBeNull();
        result.Errors.ShouldNotBeEmpty();
        result.Errors[0].File.ShouldBe("broken.yaml");
        result.Errors[0].Line.ShouldBeGreaterThan(0);
        result.Errors[0].Message.ShouldStartWith("not valid YAML");
    }

    [Fact]
    public void Load_OnAnAliasBomb_StaysSmall()
    {
        // "Billion laughs": YamlDotNet's representation model keeps aliases as references, so this must not expand.
        var bomb = "lists:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(0, 9).Select(i => $"  l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat(i == 0 ? "*a" : $"*l{i - 1}", 10))}]\n"));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var result = PolicyLoader.Load([new PolicyFile("bomb.yaml", bomb)], TestCatalog.Standard);

        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(64L * 1024 * 1024);
        result.Errors.ShouldNotBeEmpty();
    }
}
