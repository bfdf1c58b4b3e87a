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
    public async Task Preview_DecidesEachToolOncePerScopeValue_AsTheWhatIfApiDoes_AndShowsCronTimesInTheirZone()
    {
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");

        var (response, page) = await alice.SubmitAsync(form, "main form", [
            F("Form.Tools", "deploy.create_deployment"), F("Form.Tools", "slack.post_message"), F("Form.Tools", "slack.lookup_user"),
            F("Form.Scopes[github.repos]", "acme/web"), F("Form.Scopes[github.environments]", "staging, Production"),
            F("Form.Scopes[slack.channels]", "C0RELEASES"),
            F("Form.Schedules[1].Cron", "0 9 * * 1-5"), F("Form.Schedules[1].TimeZone", "Europe/Berlin"),
            F("action", "preview"),
        ]);

        response.ShouldBeStatus(HttpStatusCode.OK, page);
        var rows = page.QuerySelectorAll("#policy-panel tbody tr").Select(r => (Tool: r.GetAttribute("data-tool"), Arguments: r.GetAttribute("data-arguments"), Decision: r.GetAttribute("data-decision"), Text: r.TextContent)).ToList();
        rows.Select(r => (r.Tool, r.Arguments, r.Decision)).ShouldBe([
            ("deploy.create_deployment", "environment = staging, repo = acme/web", "allow"),
            ("deploy.create_deployment", "environment = Production, repo = acme/web", "require_approval"),
            ("slack.lookup_user", "", "allow"),
            ("slack.post_message", "channel = C0RELEASES", "allow"),
        ], ignoreOrder: true);
        rows.Single(r => r.Arguments!.Contains("Production", StringComparison.Ordinal)).Text.ShouldContain("needs approval by deploy-approvers");

        // Each row is what the what-if API answers for the same call.
        var api = _host.CreateClientAs("alice@example.com");
        foreach (var (tool, arguments, decision, _) in rows)
        {
            var args = (arguments ?? string.Empty).Split(", ", StringSplitOptions.RemoveEmptyEntries).Select(a => a.Split(" = ")).ToDictionary(a => a[0], a => a[1]);
            var answer = await (await api.PostAsJsonAsync("/api/policy/evaluate", new
            {
                function = tool,
                arguments = args,
                agent = new { owner = "alice@example.com", tools = new[] { "deploy.create_deployment", "slack.lookup_user", "slack.post_message" }, scopes = new Dictionary<string, string[]> { ["github.repos"] = ["acme/web"], ["github.environments"] = ["staging", "Production"], ["slack.channels"] = ["C0RELEASES"] } },
                requester = "alice@example.com",
            })).Content.ReadFromJsonAsync<JsonElement>();
            answer.GetProperty("decision").GetString().ShouldBe(decision, $"{tool} {arguments}");
        }

        // A Berlin schedule runs at 09:00 Berlin time, and says so (not "09:00 UTC", not "07:00 UTC").
        var cron = page.QuerySelector("#cron-preview")!.TextContent;
        cron.ShouldContain("09:00 Europe/Berlin");
        cron.ShouldNotContain("UTC");
        (await _host.Services.GetRequiredService<AgentStore>().ListAsync("alice@example.com", CancellationToken.None)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{\"repo\": \"acme/web\", \"ref\": \"main\", \"environment\": \"PRODUCTION\"}", "require_approval", "deploy-approvers")]
    [InlineData("{\"repo\": \"acme/web\", \"ref\": \"main\", \"environment\": \"staging\"}", "allow", "deploy-granted-environments")]
    [InlineData("{\"repo\": \"acme/other\", \"ref\": \"main\", \"environment\": \"staging\"}", "deny", "deploy-outside-granted-repos")]
    public async Task TryACall_DecidesAgainstTheUnsavedDraft(string arguments, string decision, string shown)
    {
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");

        var (response, page) = await alice.SubmitAsync(form, "main form", [
            F("Form.Tools", "deploy.create_deployment"),
            F("Form.Scopes[github.repos]", "acme/web"), F("Form.Scopes[github.environments]", "staging, production"),
            F("TryFunction", "deploy.create_deployment"), F("TryArguments", arguments), F("action", "try"),
        ]);

        response.ShouldBeStatus(HttpStatusCode.OK, page);
        var result = page.QuerySelector("#try-result").ShouldNotBeNull(page.Body?.TextContent);
        result.GetAttribute("data-decision").ShouldBe(decision);
        result.TextContent.ShouldContain(shown);
        (await _host.Services.GetRequiredService<AgentStore>().ListAsync("alice@example.com", CancellationToken.None)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{\"environment\": ", "not valid JSON")]
    [InlineData("[\"production\"]", "must be a JSON object")]
    [InlineData("{\"environment\": {\"a\": [1, {\"b\": 2}]}, \"repo\": [1, 2]}", "repo:")]
    public async Task TryACall_WithBadArguments_SaysSoNextToTheField_Never500(string arguments, string message)
    {
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");

        var (response, page) = await alice.SubmitAsync(form, "main form", [
            F("Form.Tools", "deploy.create_deployment"), F("TryFunction", "deploy.create_deployment"), F("TryArguments", arguments), F("action", "try"),
        ]);

        response.ShouldBeStatus(HttpStatusCode.OK, page);
        page.QuerySelector("#try-arguments-error")!.TextContent.ShouldContain(message);
        page.QuerySelector("#try-arguments")!.GetAttribute("aria-invalid").ShouldBe("true");
        page.QuerySelector<IHtmlTextAreaElement>("#try-arguments")!.Value.ShouldBe(arguments);
        page.QuerySelector("#try-result").ShouldBeNull();
    }

    [Fact]
    public async Task Errors_AreSaidOnce_InWords_BesideTheRowTheyWereTypedIn()
    {
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");

        var (response, page) = await alice.SubmitAsync(form, "main form", [
            F("Form.Name", "Ops"), F("Form.Instructions", "x"),
            F("Form.Schedules[1].Cron", "61 * * * *"), F("Form.Schedules[2].Cron", "0 9 * * *"), F("Form.Schedules[2].TimeZone", "Mars/Olympus"),
            F("Form.MaxToolCallsPerTurn", "50"), F("Form.MaxToolCallsPerRun", "10"),
            F("action", "save"),
        ]);

        response.ShouldBeStatus(HttpStatusCode.BadRequest, page);
        // Row 2's cron error is beside row 2 (the empty first row is skipped when saving), row 3's zone beside row 3.
        page.QuerySelector("#cron-0-error").ShouldBeNull();
        page.QuerySelector("#cron-1-error")!.TextContent.ShouldContain("'61 * * * *' is not a five-field cron expression");
        page.QuerySelector("#tz-2-error")!.TextContent.ShouldContain("there is no time zone 'Mars/Olympus'");
        page.QuerySelector("#budget-MaxToolCallsPerRun-error")!.TextContent.ShouldContain("Tool calls per run must be at least the tool calls per model reply");
        var text = page.Body!.TextContent;
        // Once each, and no field path (triggers.schedules[1].cron, budgets.maxToolCallsPerTurn, $.x) on the page.
        System.Text.RegularExpressions.Regex.Count(text, "Mars/Olympus' \\(").ShouldBe(1);
        text.ShouldNotContain("triggers.");
        text.ShouldNotContain("budgets.");
        text.ShouldNotContain("$.");
    }

    [Fact]
    public async Task Saving_RedirectsToTheAgent_WhichSaysSaved()
    {
        using var alice = new PageClient(_host, "alice@example.com");
        var (_, form) = await alice.GetAsync("/agents/new");

        var (saved, _) = await alice.SubmitAsync(form, "main form", [F("Form.Name", "Ops"), F("Form.Instructions", "x"), F("action", "save")]);
        var location = saved.Headers.Location!.OriginalString;
        var (_, agent) = await alice.GetAsync(location);
        var (_, again) = await alice.GetAsync(location.Split('?')[0]);

        location.ShouldEndWith("?saved=1");
        agent.QuerySelector("p.notice[role=status]")!.TextContent.ShouldBe("Saved.");
        again.QuerySelector("p.notice").ShouldBeNull();
    }

    [Fact]
    public async Task ToolsOfPluginsNotConfiguredHere_AreShownDisabled_AndAGrantAlreadyGivenIsKept()
    {
        var id = await RunsApi.CreateAgentAsync(_host);
        using var alice = new PageClient(_host, "alice@example.com");

        var (_, page) = await alice.GetAsync($"/agents/{id}/edit");

        // This host configures no plugin: every tool is offered disabled, and says why.
        var box = page.QuerySelector<IHtmlInputElement>("#tool-slack-post_message")!;
        box.IsDisabled.ShouldBeTrue();
        page.QuerySelector("#tool-slack-post_message-off")!.TextContent.ShouldBe("not configured here");
        var granted = (await _host.Services.GetRequiredService<AgentStore>().GetAsync(id, CancellationToken.None))!.Definition.Tools!;
        foreach (var tool in granted)
        {
            page.QuerySelector($"input[type=hidden][name='Form.Tools'][value='{tool}']").ShouldNotBeNull(tool);
        }
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
