using AgentHost.Core.Employees;
using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Policies.Testing;
using AgentHost.Core.Tools;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Policies;

/// <summary>Runs policies/tests/*.yaml against policies/*.yaml: a policy change is reviewed like code.</summary>
public sealed class ShippedPolicyTests
{
    private static readonly string PolicyDirectory = Path.Combine(RepositoryRoot.Path, "policies");
    private static readonly Lazy<(IReadOnlyList<PolicyTestCase> Cases, IReadOnlyList<PolicyError> Errors)> Suite =
        new(() => PolicyTestSuite.LoadDirectory(Path.Combine(PolicyDirectory, "tests")));

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var testCase in Suite.Value.Cases)
        {
            data.Add($"{Path.GetFileName(testCase.File)}:{testCase.Line} {testCase.Name}");
        }

        return data;
    }

    [Fact]
    public void ShippedPolicies_Load_WithoutErrors()
    {
        var result = PolicyLoader.LoadDirectory(PolicyDirectory, TestCatalog.Standard);

        result.Errors.ShouldBeEmpty(string.Join(Environment.NewLine, result.Errors));
        result.PolicySet!.Rules.Count.ShouldBeGreaterThan(15);
    }

    [Fact]
    public void PolicyTests_AllRead_AndThereAreEnough()
    {
        Suite.Value.Errors.ShouldBeEmpty(string.Join(Environment.NewLine, Suite.Value.Errors));
        Suite.Value.Cases.Count.ShouldBeGreaterThanOrEqualTo(30);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void PolicyTestCase_Passes(string caseName)
    {
        var policies = PolicyLoader.LoadDirectory(PolicyDirectory, TestCatalog.Standard).PolicySet!;
        var directory = DirectoryFileLoader.Load(Path.Combine(RepositoryRoot.Path, "src", "AgentHost", "directory.yaml")).Directory!;
        var testCase = Suite.Value.Cases.Single(c => $"{Path.GetFileName(c.File)}:{c.Line} {c.Name}" == caseName);

        var result = testCase.Run(policies, directory);

        result.Passed.ShouldBeTrue(result.ToString());
    }

    [Fact]
    public void EveryShippedRule_IsExercisedByAPolicyTest()
    {
        var policies = PolicyLoader.LoadDirectory(PolicyDirectory, TestCatalog.Standard).PolicySet!;
        var directory = DirectoryFileLoader.Load(Path.Combine(RepositoryRoot.Path, "src", "AgentHost", "directory.yaml")).Directory!;

        var fired = Suite.Value.Cases.SelectMany(c => policies.Evaluate(c.Request, directory).RuleIds).ToHashSet();

        policies.Rules.Select(r => r.Id).Where(id => !fired.Contains(id)).ShouldBeEmpty();
    }
}
