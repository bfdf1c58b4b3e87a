using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Agents;
using AgentHost.Tests.Runs;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using static AgentHost.Tests.Web.Forms;

namespace AgentHost.Tests.Web;

/// <summary>
/// Slack channels on the agent form by name: the pick list holds only the owner's channels, and a name
/// typed into the channel scope or the mention trigger becomes its id, or is refused beside the field.
/// </summary>
public sealed class ChannelPickerTests : FormHostTest
{
    [Fact]
    public async Task ThePickList_HoldsTheOwnersChannelsByName_NotOthersNorTheApprovalsChannel()
    {
        using var alice = new PageClient(Host, "alice@example.com");

        var (_, page) = await alice.GetAsync("/agents/new");

        var options = page.QuerySelectorAll("#scope-slack-channels-pick option").Select(o => (o.GetAttribute("value"), o.TextContent)).ToList();
        options.ShouldBe([(GeneralChannel, "#general"), (OpsChannel, "#ops"), (ReleaseNotes, "#release-notes"), (Releases, "#releases")]);
        page.QuerySelectorAll("#slack-channel-names option").Select(o => o.GetAttribute("value")).ShouldContain("#releases");
    }

    [Fact]
    public async Task TheRepositoryPickList_HoldsTheTokensRepositoriesTheOwnerMayRead()
    {
        GitHub.AddRepository("acme/secret");
        GitHub.AddRepository("acme/docs");
        GitHub.SetPermission("acme/docs", "alice-adams", "read");
        using var alice = new PageClient(Host, "alice@example.com");

        var (_, page) = await alice.GetAsync("/agents/new");

        page.QuerySelectorAll("#scope-github-repos-pick option").Select(o => o.GetAttribute("value")).ShouldBe(["acme/docs", "acme/web"]);
    }

    [Theory]
    [InlineData("#releases")]
    [InlineData("#Releases")]
    [InlineData(" releases ")]
    [InlineData("RELEASES")]
    public async Task ANameTyped_IsSavedAsTheChannelsId(string typed)
    {
        var id = await SaveAsync([F("Form.Scopes[slack.channels]", typed)]);

        var stored = (await Host.Services.GetRequiredService<AgentStore>().GetAsync(id, CancellationToken.None))!;
        stored.Definition.Scopes!["slack.channels"].ShouldBe([Releases]);
    }

    [Fact]
    public async Task PickedAndTyped_AreSavedTogether_AndTheMentionTriggerTakesNamesToo()
    {
        var id = await SaveAsync([F("Form.Picked[slack.channels]", OpsChannel), F("Form.Scopes[slack.channels]", "#releases"), F("Form.MentionChannels", "#ops")]);

        var stored = (await Host.Services.GetRequiredService<AgentStore>().GetAsync(id, CancellationToken.None))!;
        stored.Definition.Scopes!["slack.channels"].ShouldBe([OpsChannel, Releases], ignoreOrder: true);
        stored.Definition.Triggers!.SlackMention!.Channels.ShouldBe([OpsChannel]);
    }

    [Theory]
    [InlineData("#relaeses", "There is no Slack channel named #relaeses", "did you mean #releases?")]
    [InlineData("#release", "There is no Slack channel named #release", "#release-notes or #releases")]
    [InlineData("#nowhere-at-all", "There is no Slack channel named #nowhere-at-all", null)]
    [InlineData("#exec", "#exec cannot be given to the agent", "is not a member")]
    [InlineData("#approvals", "#approvals is the approvals channel", "only an admin")]
    public async Task AnUnknownName_OrAChannelTheOwnerIsNotIn_IsRefusedBesideTheField(string typed, string message, string? detail)
    {
        using var alice = new PageClient(Host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");

        var (response, page) = await alice.SubmitAsync(form, "main form", [.. Valid, F("Form.Scopes[slack.channels]", typed), F("action", "save")]);

        response.ShouldBeStatus(HttpStatusCode.BadRequest, page);
        var error = page.QuerySelector("#scope-slack-channels-error")!.TextContent;
        error.ShouldContain(message);
        if (detail is not null)
        {
            error.ShouldContain(detail);
        }

        page.QuerySelector<IHtmlInputElement>("#scope-slack-channels")!.Value.ShouldBe(typed);
        (await Host.Services.GetRequiredService<AgentStore>().ListAsync("alice@example.com", CancellationToken.None)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("#releases")]
    [InlineData("releases")]
    [InlineData("#Releases ")]
    public async Task ANameSentToTheApi_IsRefusedWithTheFieldNamed_NeverSavedAsAName(string typed)
    {
        var client = Host.CreateClientAs("alice@example.com");

        var response = await client.PostAsJsonAsync("/api/agents", new { name = "Notes", instructions = "Post release notes.", tools = new[] { "slack.post_message" }, scopes = new Dictionary<string, string[]> { ["slack.channels"] = [typed] } });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors").EnumerateObject().ShouldHaveSingleItem();
        errors.Name.ShouldContain("slack.channels");
        (await Host.Services.GetRequiredService<AgentStore>().ListAsync("alice@example.com", CancellationToken.None)).ShouldBeEmpty();
    }

    private const string GeneralChannel = SlackWorkspace.GeneralChannel;
    private const string OpsChannel = SlackWorkspace.OpsChannel;

    private static KeyValuePair<string, string>[] Valid => [F("Form.Name", "Notes"), F("Form.Instructions", "Post release notes."), F("Form.Tools", "slack.post_message")];

    private async Task<string> SaveAsync(KeyValuePair<string, string>[] values)
    {
        using var alice = new PageClient(Host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");
        var (saved, page) = await alice.SubmitAsync(form, "main form", [.. Valid, .. values, F("action", "save")]);
        saved.ShouldBeStatus(HttpStatusCode.Redirect, page);
        return saved.Headers.Location!.OriginalString.Split('/', '?')[2];
    }
}
