using System.Net;
using AgentHost.Core.Agents;
using AgentHost.Tests.Host;
using Microsoft.Extensions.DependencyInjection;
using static AgentHost.Tests.Web.Forms;

namespace AgentHost.Tests.Web;

/// <summary>
/// The agent form refuses scope values outside the owner's authority, next to the field. This host has no
/// Slack configured, so membership cannot be asked: only the directory's development entitlements count.
/// </summary>
public sealed class OwnerAuthorityPageTests : IDisposable
{
    private readonly AgentHostFactory _host = new();

    [Fact]
    public async Task Save_AChannelTheOwnerCannotBeShownToHold_ShowsTheRefusalNextToTheField()
    {
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");

        var (response, page) = await alice.SubmitAsync(form, "main form", [
            F("Form.Name", "HR digest"),
            F("Form.Instructions", "Summarise HR."),
            F("Form.Tools", "slack.read_channel"),
            F("Form.Scopes[slack.channels]", "C0OPS, C0HR"),
            F("action", "save"),
        ]);

        response.ShouldBeStatus(HttpStatusCode.BadRequest, page);
        var error = page.QuerySelector("#scope-slack-channels-error")!.TextContent;
        error.ShouldContain("'C0HR'");
        error.ShouldContain("Slack is not configured");
        error.ShouldNotContain("'C0OPS'");
        page.QuerySelector("#scope-slack-channels")!.GetAttribute("aria-invalid").ShouldBe("true");
        (await _host.Services.GetRequiredService<AgentStore>().ListAsync("alice@example.com", CancellationToken.None)).ShouldBeEmpty();
    }

    public void Dispose() => _host.Dispose();
}
