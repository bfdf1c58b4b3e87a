using AgentHost.Core.Policies;
using AgentHost.Core.Tools;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Policies;

public sealed class PolicyProviderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agenthost-pol-" + Guid.NewGuid().ToString("N"));

    public PolicyProviderTests() => Directory.CreateDirectory(_dir);

    [Fact]
    public void Reload_BrokenFile_KeepsTheLastGoodSet_AndReportsTheError()
    {
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), "rules:\n  - { id: lookup, match: { function: slack.lookup_user }, decision: allow }\n");
        var provider = new PolicyProvider(_dir, TestCatalog.Standard);
        provider.Reload().Succeeded.ShouldBeTrue();
        var good = provider.Current;

        File.WriteAllText(Path.Combine(_dir, "a.yaml"), "rules:\n  - { id: lookup, match: { function: slack.lookup_user }, decision: allow }\n  - { id: typo, decison: deny }\n");
        var failed = provider.Reload();

        failed.Succeeded.ShouldBeFalse();
        failed.Errors.ShouldContain(e => e.Line == 3 && e.Message.Contains("unknown key 'decison'", StringComparison.Ordinal));
        provider.Current.ShouldBeSameAs(good);
        provider.Current.Evaluate(PolicyEvaluationTests.Call("slack.lookup_user"), new PolicyFacts()).Outcome.ShouldBe(PolicyOutcome.Allow);
    }

    [Fact]
    public void Current_BeforeAnySuccessfulLoad_Throws()
    {
        var provider = new PolicyProvider(Path.Combine(_dir, "missing"), TestCatalog.Standard);

        provider.Reload().Succeeded.ShouldBeFalse();
        provider.HasPolicy.ShouldBeFalse();
        Should.Throw<InvalidOperationException>(() => provider.Current);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
