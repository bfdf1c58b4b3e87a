using AgentHost.Core.Agents;
using AgentHost.Core.Agents.History;
using AgentHost.Core.Redaction;
using AgentHost.Core.Tools;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Agents;

/// <summary>What a save changed, field by field, compared as the domain compares: the diff an agent's history and agent.updated carry.</summary>
public sealed class AgentDiffTests
{
    private static readonly AgentDefinition Base = new(
        "Ops helper", "Helps #ops", "Answer questions about #ops.\nBe brief.\nNever deploy on Friday.", null,
        ["slack.read_channel", "email.send", "email.read_message"],
        new Dictionary<string, IReadOnlyList<string>> { ["slack.channels"] = ["C0OPS", "C0DEV"], ["email.folders"] = ["INBOX", "Triage"] },
        new AgentTriggers(Manual: true, Schedules: [new AgentSchedule("0 8 * * 1-5", "Europe/Berlin")], SlackMention: new SlackMentionTrigger(["C0OPS"])),
        new AgentBudgets(MaxTurns: 10));

    private static AgentDiff Diff(AgentDefinition? before, AgentDefinition after) =>
        AgentDiff.Between(before, after, (scope, value) => ScopeValues.Canonical(TestCatalog.Standard, scope, value));

    [Fact]
    public void Identical_IsEmpty()
    {
        Diff(Base, Base).IsEmpty.ShouldBeTrue();
        Diff(Base, Base with { }).Changes.ShouldBeEmpty();
    }

    [Fact]
    public void ReorderedListsAndDuplicates_AreNoChange()
    {
        var reordered = Base with
        {
            Tools = ["email.read_message", "slack.read_channel", "email.send", "email.send"],
            Scopes = new Dictionary<string, IReadOnlyList<string>> { ["email.folders"] = ["Triage", "INBOX"], ["slack.channels"] = ["C0DEV", "C0OPS", "C0DEV"] },
        };

        Diff(Base, reordered).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void CaseVariants_FollowTheTargetSystem_SlackIdsAndInboxFold_OtherFoldersDoNot()
    {
        var folded = Base with
        {
            Scopes = new Dictionary<string, IReadOnlyList<string>> { ["slack.channels"] = [" c0ops ", "c0dev"], ["email.folders"] = ["inbox", "Triage"] },
            Triggers = Base.Triggers! with { SlackMention = new SlackMentionTrigger(["c0ops"]) },
        };
        var renamedFolder = Base with { Scopes = new Dictionary<string, IReadOnlyList<string>> { ["slack.channels"] = ["C0OPS", "C0DEV"], ["email.folders"] = ["INBOX", "triage"] } };

        Diff(Base, folded).IsEmpty.ShouldBeTrue();
        var change = Diff(Base, renamedFolder).Changes.ShouldHaveSingleItem();
        change.Field.ShouldBe("scopes.email.folders");
        change.Added.ShouldBe(["triage"]);
        change.Removed.ShouldBe(["Triage"]);
    }

    [Fact]
    public void EmptyValues_NullAndEmptyAndDefaults_AreNoChange()
    {
        var sparse = new AgentDefinition("Ops", null, "x", null, null, null, null, null);
        var explicitEmpty = new AgentDefinition("Ops ", "  ", "x", "", [], new Dictionary<string, IReadOnlyList<string>> { ["slack.channels"] = [] },
            new AgentTriggers(Manual: true, Schedules: [], SlackMention: new SlackMentionTrigger([]), EmailArrival: new EmailArrivalTrigger([])), AgentBudgets.Default);

        Diff(sparse, explicitEmpty).Changes.ShouldBeEmpty();
        Diff(explicitEmpty, sparse).Changes.ShouldBeEmpty();
    }

    [Fact]
    public void Instructions_AreALineDiff_WithLineNumbers()
    {
        var edited = Base with { Instructions = "Answer questions about #ops.\nBe brief and polite.\nNever deploy on Friday.\nAsk before paging anyone." };

        var change = Diff(Base, edited).Changes.ShouldHaveSingleItem();

        change.Field.ShouldBe("instructions");
        change.Lines.ShouldBe(
        [
            new DiffLine("removed", 2, "Be brief."),
            new DiffLine("added", 2, "Be brief and polite."),
            new DiffLine("added", 4, "Ask before paging anyone."),
        ], ignoreOrder: true);
    }

    [Fact]
    public void Instructions_CrLfAndLf_AreTheSameText()
    {
        Diff(Base, Base with { Instructions = Base.Instructions!.Replace("\n", "\r\n", StringComparison.Ordinal) }).IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Instructions_Huge_AreStillDiffed_WithinBoundedWork()
    {
        var before = string.Join('\n', Enumerable.Range(0, 3_000).Select(i => $"line {i}"));
        var after = string.Join('\n', Enumerable.Range(0, 3_000).Select(i => $"row {i}"));

        var lines = Diff(Base with { Instructions = before }, Base with { Instructions = after }).Changes.ShouldHaveSingleItem().Lines!;

        lines.Count(l => l.Kind == DiffLine.RemovedKind).ShouldBe(3_000);
        lines.Count(l => l.Kind == DiffLine.AddedKind).ShouldBe(3_000);
    }

    [Fact]
    public void Tools_Scopes_Triggers_Budgets_AndModel_EachSayWhatChanged()
    {
        var after = Base with
        {
            Model = "gpt-4.1",
            Tools = ["slack.read_channel", "slack.post_message", "email.read_message"],
            Scopes = new Dictionary<string, IReadOnlyList<string>> { ["slack.channels"] = ["C0OPS"], ["email.folders"] = ["INBOX", "Triage"], ["email.recipientDomains"] = ["partner.test"] },
            Triggers = new AgentTriggers(Manual: false, Schedules: [new AgentSchedule("0 9 * * 1-5", "Europe/Berlin")], SlackMention: new SlackMentionTrigger(["C0OPS", "C0DEV"], DirectMessages: true)),
            Budgets = new AgentBudgets(MaxTurns: 20, MaxWallTime: TimeSpan.FromMinutes(5)),
        };

        var changes = Diff(Base, after).Changes.ToDictionary(c => c.Field);

        changes.Keys.ShouldBe(
            ["model", "tools", "scopes.email.recipientDomains", "scopes.slack.channels", "triggers.manual", "triggers.schedules", "triggers.slackMention.channels", "triggers.slackMention.directMessages", "budgets.maxTurns", "budgets.maxWallTime"],
            ignoreOrder: true);
        (changes["model"].Before, changes["model"].After).ShouldBe((null, "gpt-4.1"));
        changes["tools"].Added.ShouldBe(["slack.post_message"]);
        changes["tools"].Removed.ShouldBe(["email.send"]);
        changes["scopes.slack.channels"].Removed.ShouldBe(["C0DEV"]);
        changes["scopes.slack.channels"].Added.ShouldBeEmpty();
        changes["scopes.email.recipientDomains"].Added.ShouldBe(["partner.test"]);
        (changes["triggers.manual"].Before, changes["triggers.manual"].After).ShouldBe(("yes", "no"));
        changes["triggers.schedules"].Added.ShouldBe(["0 9 * * 1-5 (Europe/Berlin)"]);
        changes["triggers.schedules"].Removed.ShouldBe(["0 8 * * 1-5 (Europe/Berlin)"]);
        changes["triggers.slackMention.channels"].Added.ShouldBe(["C0DEV"]);
        (changes["budgets.maxTurns"].Before, changes["budgets.maxTurns"].After).ShouldBe(("10", "20"));
        (changes["budgets.maxWallTime"].Before, changes["budgets.maxWallTime"].After).ShouldBe(("00:10:00", "00:05:00"));
    }

    [Fact]
    public void Creation_IsEveryFieldAgainstNothing()
    {
        var changes = Diff(null, Base).Changes.ToDictionary(c => c.Field);

        changes["name"].After.ShouldBe("Ops helper");
        changes["instructions"].Lines!.Count.ShouldBe(3);
        changes["instructions"].Lines!.ShouldAllBe(l => l.Kind == DiffLine.AddedKind);
        changes["tools"].Added!.Count.ShouldBe(3);
        changes["budgets.maxTurns"].After.ShouldBe("10");
        changes.ShouldNotContainKey("budgets.tokensPerRun", "a default budget is no change");
    }

    [Fact]
    public void Redacted_RemovesSecretsFromEveryValue()
    {
        const string Token = "xoxb-123456789012-abcdefghijkl";
        var redactor = new SecretRedactor(["s3cret-value-1"]);
        var after = Base with { Instructions = $"Use {Token} for Slack.", Description = "key s3cret-value-1", Scopes = new Dictionary<string, IReadOnlyList<string>> { ["slack.channels"] = ["C0OPS", "C0DEV"], ["email.folders"] = ["INBOX", "s3cret-value-1"] } };

        var diff = Diff(Base, after).Redacted(redactor);

        var text = System.Text.Json.JsonSerializer.Serialize(diff);
        text.ShouldNotContain(Token);
        text.ShouldNotContain("s3cret-value-1");
        text.ShouldContain(SecretRedactor.Mask);
    }
}
