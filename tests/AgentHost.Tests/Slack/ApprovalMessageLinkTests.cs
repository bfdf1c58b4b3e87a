using System.ComponentModel.DataAnnotations;
using AgentHost.Core.Approvals;
using AgentHost.Core.Redaction;
using AgentHost.Plugins.Slack;
using AgentHost.Plugins.Slack.Approvals;

namespace AgentHost.Tests.Slack;

/// <summary>The Slack approval message links to the web approval and the run when the host knows its address, and says when it expires in both ways.</summary>
public sealed class ApprovalMessageLinkTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void WithAPublicAddress_ItLinksTheApprovalAndTheRun_AndSaysWhenItExpires()
    {
        var options = new SlackOptions { PublicBaseUrl = new Uri("https://agents.example.test/host") };

        var text = Text(ApprovalMessage.Build("C0APPROVE", Approval(), Tally(), "Ops helper", new SecretRedactor([]), Now, options.Links));

        text.ShouldContain("<https://agents.example.test/host/approvals#approval-ap_0123456789abcdef|decide on the web>");
        text.ShouldContain("<https://agents.example.test/host/runs/run_42|`run_42`>");
        text.ShouldContain("expires in 3 h");
        text.ShouldContain("2026-12-05 15:00 UTC");
        text.ShouldContain("your time");
    }

    [Fact]
    public void WithoutOne_ItHasNoLinks_RatherThanBrokenOnes()
    {
        var text = Text(ApprovalMessage.Build("C0APPROVE", Approval(), Tally(), "Ops helper", new SecretRedactor([]), Now.AddMinutes(150)));

        text.ShouldNotContain("http");
        text.ShouldNotContain("decide on the web");
        text.ShouldContain("`run_42`");
        text.ShouldContain("expires in 30 min");
    }

    [Theory]
    [InlineData("agents.example.test")]
    [InlineData("ftp://agents.example.test/")]
    [InlineData("https://agents.example.test/?next=evil")]
    [InlineData("https://user:pw@agents.example.test/")]
    public void ABadPublicAddress_IsRefusedAtStartUp(string url)
    {
        var options = new SlackOptions { PublicBaseUrl = new Uri(url, UriKind.RelativeOrAbsolute) };

        var errors = options.Validate(new ValidationContext(options)).ToList();

        errors.ShouldHaveSingleItem().ErrorMessage!.ShouldContain("Slack:PublicBaseUrl");
    }

    [Theory]
    [InlineData(180, "expires in 3 h")]
    [InlineData(179.99, "expires in 3 h")]
    [InlineData(90, "expires in 1 h 30 min")]
    [InlineData(24 * 60, "expires in 24 h")]
    [InlineData(2 * 24 * 60 + 60, "expires in 2 d 1 h")]
    [InlineData(0.5, "expires in 1 min")]
    [InlineData(-10, "expired 10 min ago")]
    public void RelativeExpiry_ReadsAsAPersonWouldSayIt(double minutes, string expected) =>
        ExpiryText.Relative(Now.AddMinutes(minutes), Now).ShouldBe(expected);

    private static Approval Approval() => new(
        "ap_0123456789abcdef", "run_42", "agent_1", "alice@example.com", "call_1", "email.send", "{\"to\":[\"ops@partner.test\"]}", ["email-send-external-needs-approval"],
        "team-leads", 1, ApprovalStatus.Pending, Now.AddHours(-1), Now.AddHours(3), false, []);

    private static ApprovalTally Tally() => ApprovalTally.Count(Approval(), (_, _) => false);

    // Every text a person reads, as Slack gets it (not JSON-escaped).
    private static string Text(AgentHost.Plugins.Slack.Api.SlackMessage message) => string.Join("\n", Texts(message.Blocks));

    private static IEnumerable<string> Texts(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject obj => obj.SelectMany(p => p.Key == "text" && p.Value is System.Text.Json.Nodes.JsonValue v ? [v.GetValue<string>()] : Texts(p.Value)),
        System.Text.Json.Nodes.JsonArray array => array.SelectMany(Texts),
        _ => [],
    };
}
