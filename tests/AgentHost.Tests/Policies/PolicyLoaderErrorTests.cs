using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Tools;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Policies;

public sealed class PolicyLoaderErrorTests
{
    [Theory]
    [InlineData("rules:\n  - id: a\n    decision: allow\n    colour: red\n", 4, 5, "unknown key 'colour'")]
    [InlineData("rules:\n  - id: a\n    match: { function: email.sned }\n    decision: allow\n", 3, 24, "unknown function 'email.sned'")]
    [InlineData("rules:\n  - id: a\n    match: { plugin: shell }\n    decision: allow\n", 3, 22, "unknown plugin 'shell'")]
    [InlineData("rules:\n  - id: a\n    match: { effect: explode }\n    decision: allow\n", 3, 22, "unknown effect 'explode'")]
    [InlineData("rules:\n  - id: a\n    match: { function: email.send }\n    when:\n      - argument: to\n        sounds_like: x\n    decision: allow\n", 6, 9, "unknown key 'sounds_like'")]
    [InlineData("rules:\n  - id: a\n    match: { function: email.send }\n    when:\n      - argument: recipient\n        equals: x\n    decision: allow\n", 5, 19, "argument 'recipient' is not declared by email.send")]
    [InlineData("rules:\n  - id: a\n    match: { function: email.send }\n    when:\n      - argument: to\n        regex: '(unclosed'\n    decision: allow\n", 6, 16, "bad regex")]
    [InlineData("rules:\n  - id: a\n    match: { function: email.send }\n    when:\n      - argument: to\n        domain_in: { list: nowhere }\n    decision: allow\n", 6, 28, "unknown list 'nowhere'")]
    [InlineData("rules:\n  - id: a\n    match: { function: email.send }\n    when:\n      - argument: to\n        in_scope: email.nope\n    decision: allow\n", 6, 19, "unknown scope 'email.nope'")]
    [InlineData("rules:\n  - id: a\n    decision: maybe\n", 3, 15, "decision must be allow, deny or require_approval")]
    [InlineData("rules:\n  - decision: allow\n", 2, 5, "a rule needs an 'id'")]
    [InlineData("rules:\n  - id: a\n    decision: require_approval\n", 2, 5, "needs 'approval'")]
    [InlineData("rules:\n  - id: a\n    decision: allow\n    approval: { group: g }\n", 4, 5, "'approval' belongs only to rules with decision require_approval")]
    [InlineData("rules:\n  - id: a\n    decision: require_approval\n    approval: { group: g, timeout: soon }\n", 4, 36, "timeout must be a duration")]
    [InlineData("rules:\n  - id: a\n    decision: require_approval\n    approval: { group: g, count: 0 }\n", 4, 34, "count must be a whole number from 1 to 10")]
    [InlineData("rules:\n  - id: a\n    decision: allow\n  - id: a\n    decision: deny\n", 4, 5, "duplicate rule id 'a' (first defined at p.yaml:2:5)")]
    [InlineData("rules: [\n", 2, 1, "not valid YAML")]
    [InlineData("policies: []\n", 1, 1, "unknown key 'policies'")]
    [InlineData("rules:\n  - id: a\n    match: { function: slack.read_channel, effect: write }\n    decision: allow\n", 3, 12, "selects no function")]
    public void Load_BrokenPolicy_ReportsFileLineAndColumn(string yaml, int line, int column, string message)
    {
        var result = PolicyLoader.Load([new PolicyFile("p.yaml", yaml)], TestCatalog.Standard);

        result.Succeeded.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.ShouldSatisfyAllConditions(
            e => e.File.ShouldBe("p.yaml"),
            e => e.Message.ShouldContain(message),
            e => (e.Line, e.Column).ShouldBe((line, column), e.ToString()));
    }

    [Fact]
    public void Load_SeveralMistakes_ReportsAllOfThem_AcrossFiles()
    {
        var result = PolicyLoader.Load(
        [
            new PolicyFile("a.yaml", "rules:\n  - id: shared\n    decision: allow\n  - id: bad\n    decision: nope\n"),
            new PolicyFile("b.yaml", "rules:\n  - id: shared\n    decision: deny\n"),
        ], TestCatalog.Standard);

        result.Errors.Select(e => $"{e.File}:{e.Line}").ShouldBe(["a.yaml:5", "b.yaml:2"], ignoreOrder: true);
        result.Errors.Single(e => e.File == "b.yaml").Message.ShouldContain("first defined at a.yaml:2:5");
    }

    [Fact]
    public void Load_NoFiles_IsRefused()
    {
        PolicyLoader.Load([], TestCatalog.Standard).Errors.ShouldHaveSingleItem().Message.ShouldContain("no policy files");
    }

    [Fact]
    public void Hash_ChangesWithContent_AndNotWithLoadOrder()
    {
        PolicyFile a = new("a.yaml", "rules:\n  - id: a\n    decision: allow\n");
        PolicyFile b = new("b.yaml", "rules:\n  - id: b\n    decision: deny\n");

        var first = PolicyLoader.Load([a, b], TestCatalog.Standard).PolicySet!.Hash;
        var reordered = PolicyLoader.Load([b, a], TestCatalog.Standard).PolicySet!.Hash;
        var edited = PolicyLoader.Load([a, b with { Text = b.Text + "# comment\n" }], TestCatalog.Standard).PolicySet!.Hash;

        first.ShouldMatch("^[0-9a-f]{64}$");
        reordered.ShouldBe(first);
        edited.ShouldNotBe(first);
    }
}
