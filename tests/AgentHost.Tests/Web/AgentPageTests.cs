using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Agents;
using AgentHost.Tests.Host;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.Extensions.DependencyInjection;
using static AgentHost.Tests.Web.Forms;

namespace AgentHost.Tests.Web;

/// <summary>The agent pages: the form's validation and policy panel, antiforgery, and who may open what.</summary>
public sealed class AgentPageTests : IDisposable
{
    private readonly AgentHostFactory _host = new();

    [Fact]
    public async Task Save_WithErrors_ShowsEachNextToItsField_AndKeepsTheInput()
    {
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");

        var (response, page) = await alice.SubmitAsync(form, "main form", [
            F("Form.Name", "Mail triage"),
            F("Form.Instructions", ""),
            F("Form.Tools", "email.send"),
            F("Form.Scopes[email.recipientDomains]", "partner.test"),
            F("Form.Schedules[0].Cron", "not a cron"),
            F("Form.TokensPerRun", "lots"),
            F("action", "save"),
        ]);

        response.ShouldBeStatus(HttpStatusCode.BadRequest, page);
        page.QuerySelector("#instructions-error")!.TextContent.ShouldContain("is required");
        page.QuerySelector("#instructions")!.GetAttribute("aria-invalid").ShouldBe("true");
        page.QuerySelector("#cron-0-error")!.TextContent.ShouldContain("cron");
        page.QuerySelector("#budget-TokensPerRun-error")!.TextContent.ShouldContain("whole number");
        page.QuerySelector<IHtmlInputElement>("#name")!.Value.ShouldBe("Mail triage");
        page.QuerySelector<IHtmlInputElement>("#tool-email-send")!.IsChecked.ShouldBeTrue();
        page.QuerySelector<IHtmlInputElement>("#scope-email-recipientDomains")!.Value.ShouldBe("partner.test");
        page.QuerySelector<IHtmlInputElement>("#cron-0")!.Value.ShouldBe("not a cron");
        page.QuerySelector<IHtmlInputElement>("#budget-TokensPerRun")!.Value.ShouldBe("lots");
        (await _host.Services.GetRequiredService<AgentStore>().ListAsync("alice@example.com", CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Preview_ShowsWhatThePoliciesDecide_AsTheWhatIfApiDoes_AndTheNextCronRuns()
    {
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");

        var (response, page) = await alice.SubmitAsync(form, "main form", [
            F("Form.Tools", "email.send"), F("Form.Tools", "slack.read_channel"), F("Form.Tools", "deploy.rollback"),
            F("Form.Scopes[slack.channels]", "C0OPS"), F("Form.Scopes[email.recipientDomains]", "partner.test"),
            F("Form.Schedules[0].Cron", "0 9 * * 1-5"),
            F("action", "preview"),
        ]);

        response.ShouldBeStatus(HttpStatusCode.OK, page);
        var api = _host.CreateClientAs("alice@example.com");
        foreach (var tool in new[] { "email.send", "slack.read_channel", "deploy.rollback" })
        {
            var row = page.QuerySelector($"#policy-panel tr[data-tool='{tool}']").ShouldNotBeNull(tool);
            var answer = await (await api.PostAsJsonAsync("/api/policy/evaluate", new
            {
                function = tool,
                agent = new { owner = "alice@example.com", tools = new[] { "deploy.rollback", "email.send", "slack.read_channel" }, scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"], ["email.recipientDomains"] = ["partner.test"] } },
                requester = "alice@example.com",
            })).Content.ReadFromJsonAsync<JsonElement>();
            row.QuerySelector(".decision")!.ClassList.ShouldContain("d-" + answer.GetProperty("decision").GetString(), row.TextContent);
        }

        page.QuerySelector("#cron-preview")!.TextContent.ShouldContain("09:00 UTC");
        (await _host.Services.GetRequiredService<AgentStore>().ListAsync("alice@example.com", CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Save_Valid_CreatesTheAgent_AndEditKeepsEveryField()
    {
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");

        var (saved, _) = await alice.SubmitAsync(form, "main form", [
            F("Form.Name", "Ops helper"), F("Form.Instructions", "Answer questions about #ops."),
            F("Form.Tools", "slack.read_channel"), F("Form.Scopes[slack.channels]", "C0OPS, C0DEV"),
            F("Form.Schedules[0].Cron", "30 8 * * *"), F("Form.Schedules[0].TimeZone", "Europe/Berlin"),
            F("Form.TokensPerRun", "20000"), F("action", "save"),
        ]);
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var id = saved.Headers.Location!.OriginalString.Split('/', '?')[2];
        var stored = (await _host.Services.GetRequiredService<AgentStore>().GetAsync(id, CancellationToken.None))!;
        var (_, edit) = await alice.GetAsync($"/agents/{id}/edit");

        stored.Definition.Scopes!["slack.channels"].ShouldBe(["C0OPS", "C0DEV"]);
        stored.Definition.Triggers!.Schedules!.ShouldHaveSingleItem().TimeZone.ShouldBe("Europe/Berlin");
        stored.Definition.Budgets!.TokensPerRun.ShouldBe(20_000);
        edit.QuerySelector<IHtmlInputElement>("#scope-slack-channels")!.Value.ShouldBe("C0OPS, C0DEV");
        edit.QuerySelector<IHtmlInputElement>("#tz-0")!.Value.ShouldBe("Europe/Berlin");
        edit.QuerySelector<IHtmlInputElement>("#tool-slack-read_channel")!.IsChecked.ShouldBeTrue();
    }

    [Fact]
    public async Task Post_WithoutTheAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");

        var (response, _) = await alice.SubmitAsync(form, "main form", [F("Form.Name", "x"), F("Form.Instructions", "y"), F("action", "save")], withToken: false);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await _host.Services.GetRequiredService<AgentStore>().ListAsync("alice@example.com", CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task OthersAgentsAndTheAuditPages_AreClosedByUrl()
    {
        var id = await RunsApi.CreateAgentAsync(_host);
        using var dave = new PageClient(_host, "dave@example.com");
        using var bob = new PageClient(_host, "bob@example.com");
        using var alice = new PageClient(_host, "alice@example.com");

        (await dave.RawGetAsync($"/agents/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await dave.RawGetAsync($"/agents/{id}/edit")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await dave.RawGetAsync("/agents?owner=alice@example.com")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await bob.RawGetAsync($"/agents/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await bob.RawGetAsync($"/agents/{id}/edit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        foreach (var audit in new[] { "/audit", "/audit/verify", "/audit/events/1" })
        {
            (await alice.RawGetAsync(audit)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, audit);
        }

        // Dave holds a valid token of his own, and posts it straight to the kill switch and to Run now.
        var (_, davesForm) = await dave.GetAsync("/agents/new");
        var (disable, _) = await dave.SubmitAsync(davesForm, "main form", [F("confirm", "true")], action: $"/agents/{id}?handler=disable");
        var (run, _) = await dave.SubmitAsync(davesForm, "main form", [F("Input", "hello")], action: $"/agents/{id}?handler=run");
        disable.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        run.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _host.Services.GetRequiredService<AgentStore>().GetAsync(id, CancellationToken.None))!.Disabled.ShouldBeFalse();
    }

    [Fact]
    public async Task KillSwitch_NeedsConfirmation_ThenDisables()
    {
        var id = await RunsApi.CreateAgentAsync(_host);
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, page) = await alice.GetAsync($"/agents/{id}");

        var (unconfirmed, again) = await alice.SubmitAsync(page, "main section:last-of-type form", []);
        var (confirmed, _) = await alice.SubmitAsync(again, "main section:last-of-type form", [F("confirm", "true"), F("reason", "done")]);

        unconfirmed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        again.QuerySelector("#confirm-error").ShouldNotBeNull();
        confirmed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await _host.Services.GetRequiredService<AgentStore>().GetAsync(id, CancellationToken.None))!.Disabled.ShouldBeTrue();
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn_AndThePickerSignsInFromLoopbackOnly()
    {
        using var anonymous = new PageClient(_host, null);
        var redirect = await anonymous.RawGetAsync("/agents");
        var (_, signIn) = await anonymous.GetAsync("/signin?returnUrl=/policies");
        var (signedIn, _) = await anonymous.SubmitAsync(signIn, "main form", [F("email", "carol@example.com")]);
        var (policies, page) = await anonymous.GetAsync("/policies");

        redirect.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        redirect.Headers.Location!.OriginalString.ShouldContain("/signin");
        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signedIn.Headers.Location!.OriginalString.ShouldBe("/policies");
        policies.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#signed-in-user")!.TextContent.ShouldBe("carol@example.com");

        _host.RemoteAddress = IPAddress.Parse("203.0.113.9");
        using var remote = new PageClient(_host, null);
        var (_, remoteForm) = await remote.GetAsync("/signin");
        var (refused, _) = await remote.SubmitAsync(remoteForm, "main form", [F("email", "root@example.com")]);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (refused.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : []).ShouldNotContain(c => c.StartsWith("agenthost.auth", StringComparison.Ordinal));
    }

    public void Dispose() => _host.Dispose();
}
