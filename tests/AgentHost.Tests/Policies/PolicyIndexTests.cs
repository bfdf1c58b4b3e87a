using System.Text;
using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Tools;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Policies;

public sealed class PolicyIndexTests
{
    [Fact]
    public void IndexedEvaluation_AgreesWithABruteForceReading_OfTenThousandRules()
    {
        var random = new Random(20261124);
        var yaml = GeneratedRules.Yaml(10_000, random);
        var policies = PolicyLoader.Load([new PolicyFile("generated.yaml", yaml.Text)], TestCatalog.Standard).PolicySet!;

        for (var i = 0; i < 3000; i++)
        {
            var channel = $"C{random.Next(0, 4000):D5}";
            var function = random.Next(3) switch { 0 => "slack.read_channel", 1 => "slack.post_message", _ => "slack.add_reaction" };
            var request = PolicyEvaluationTests.Call(function, ("channel", channel));

            var decision = policies.Evaluate(request, new PolicyFacts());

            var expected = yaml.Rules.Where(r => r.Functions.Contains(function) && r.Channels.Contains(channel)).ToList();
            var winner = expected.Count == 0 ? PolicyOutcome.Deny : expected.Max(r => r.Outcome);
            decision.Outcome.ShouldBe(winner, $"{function} {channel}");
            decision.RuleIds.ShouldBe(expected.Count == 0 ? [BuiltInRules.DefaultDeny] : expected.Where(r => r.Outcome == winner).Select(r => r.Id).ToArray(), $"{function} {channel}");
        }
    }

    [Fact]
    public void Evaluate_AllowPath_AllocatesNothing()
    {
        var policies = PolicyLoader.LoadDirectory(Path.Combine(RepositoryRoot.Path, "policies"), TestCatalog.Standard).PolicySet!;
        var request = PolicyEvaluationTests.Call("slack.read_channel", ("channel", "C0GRANTED"));
        // The gate hands the policy canonical values (ArgumentNormalizer); checking that they are costs nothing.
        var mail = PolicyEvaluationTests.Call("email.send", ("to", new[] { "bob@example.com", "carol@example.com" }));
        var facts = new PolicyFacts();
        policies.Evaluate(request, facts).Outcome.ShouldBe(PolicyOutcome.Allow);
        policies.Evaluate(mail, facts).Outcome.ShouldBe(PolicyOutcome.Allow);

        const int Evaluations = 20_000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Evaluations / 2; i++)
        {
            policies.Evaluate(request, facts);
            policies.Evaluate(mail, facts);
        }

        // Per evaluation, not in total: the runtime may charge this thread a one-off allocation (tiering up the
        // loop under CPU load cost 1,024 bytes once in CI), while the smallest object an evaluation could allocate
        // (24 bytes) would show as at least 480,000 bytes here.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        (allocated / Evaluations).ShouldBe(0, $"{allocated} bytes over {Evaluations} evaluations");
    }

    internal sealed record GeneratedRule(string Id, string[] Functions, HashSet<string> Channels, PolicyOutcome Outcome);

    internal static class GeneratedRules
    {
        /// <summary>Per-channel rules as a large organisation would write them; some with several channels.</summary>
        public static (string Text, List<GeneratedRule> Rules) Yaml(int count, Random random)
        {
            var text = new StringBuilder("rules:\n");
            var rules = new List<GeneratedRule>();
            string[] functions = ["slack.read_channel", "slack.post_message", "slack.add_reaction"];
            for (var i = 0; i < count; i++)
            {
                var ruleFunctions = functions.Where(_ => random.Next(2) == 0).DefaultIfEmpty(functions[i % 3]).ToArray();
                var channels = Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"C{random.Next(0, 4000):D5}").ToHashSet();
                var outcome = (PolicyOutcome)random.Next(3);
                var decision = PolicyText.Outcome(outcome);
                text.Append($"  - id: r{i}\n    match: {{ functions: [{string.Join(", ", ruleFunctions)}] }}\n    when: [{{ argument: channel, in: [{string.Join(", ", channels)}] }}]\n    decision: {decision}\n");
                if (outcome == PolicyOutcome.RequireApproval)
                {
                    text.Append("    approval: { group: team-leads }\n");
                }

                rules.Add(new GeneratedRule($"r{i}", ruleFunctions, channels, outcome));
            }

            return (text.ToString(), rules);
        }
    }
}
