using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentHost.Policies;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

public sealed class PolicyEndpointTests : IDisposable
{
    private readonly string _policies = Path.Combine(Path.GetTempPath(), "agenthost-policies-" + Guid.NewGuid().ToString("N"));
    private readonly AgentHostFactory _host;

    public PolicyEndpointTests()
    {
        Directory.CreateDirectory(_policies);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "policies"), "*.yaml"))
        {
            File.Copy(file, Path.Combine(_policies, Path.GetFileName(file)));
        }

        _host = new AgentHostFactory(new Dictionary<string, string?> { ["Policies:Path"] = _policies });
    }

    [Fact]
    public async Task Evaluate_ExternalMail_NeedsTeamLeadApproval_WithExplanation()
    {
        var response = await _host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/policy/evaluate", new
        {
            function = "email.send",
            arguments = new { to = new[] { "ops@partner.test" }, subject = "status" },
            agent = new { owner = "alice@example.com", tools = new[] { "email.send" }, scopes = new Dictionary<string, string[]> { ["email.recipientDomains"] = ["partner.test"] } },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("decision").GetString().ShouldBe("require_approval");
        body.GetProperty("rules").EnumerateArray().Select(r => r.GetString()).ShouldBe(["email-send-external-needs-approval"]);
        body.GetProperty("approval").GetProperty("group").GetString().ShouldBe("team-leads");
        body.GetProperty("approval").GetProperty("timeout").GetString().ShouldBe("P1D");
        body.GetProperty("policyHash").GetString()!.Length.ShouldBe(64);
        body.GetProperty("explanation").GetString()!.ShouldContain("team lead");
    }

    [Theory]
    [InlineData("production")]
    [InlineData("Production")]
    [InlineData("PRODUCTION")]
    [InlineData(" production ")]
    public async Task Evaluate_ReadsValuesAsTheGateDoes_SoPreviewAndDecisionAgree(string environment)
    {
        var response = await _host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/policy/evaluate", new
        {
            function = "deploy.create_deployment",
            arguments = new { repo = "ACME/web", @ref = "refs/heads/main", environment },
            agent = new { owner = "alice@example.com", scopes = new Dictionary<string, string[]> { ["github.repos"] = ["acme/web"], ["github.environments"] = ["staging", "production"] } },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("decision").GetString().ShouldBe("require_approval");
        body.GetProperty("rules").EnumerateArray().Select(r => r.GetString()).ShouldBe(["deploy-production-needs-approval"]);
    }

    [Fact]
    public async Task InternalDomains_FromConfiguration_ReplaceThePolicyList()
    {
        using var host = new AgentHostFactory(new Dictionary<string, string?> { ["Policies:Path"] = _policies, ["Email:InternalDomains"] = "corp.test, corp-eu.test" });
        var client = host.CreateClientAs("alice@example.com");

        async Task<string?> DecideAsync(string to) => (await (await client.PostAsJsonAsync("/api/policy/evaluate", new
        {
            function = "email.send",
            arguments = new { to = new[] { to } },
            agent = new { owner = "alice@example.com" },
        })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decision").GetString();

        (await DecideAsync("bob@corp-eu.test")).ShouldBe("allow");
        (await DecideAsync("bob@example.com")).ShouldBe("deny");
    }

    [Fact]
    public async Task Evaluate_BadFields_AreNamedInAValidationProblem()
    {
        var response = await _host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/policy/evaluate", new
        {
            arguments = new { to = new object[] { 1, 2 } },
            agent = new { owner = "nobody@example.com", scopes = new Dictionary<string, string[]> { ["slack.everything"] = ["x"] } },
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(p => p.Name).ShouldBe(["function", "agent.owner", "agent.scopes.slack.everything", "arguments.to"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[]")]
    [InlineData("")]
    public async Task Evaluate_MalformedBody_Is400NotA500(string body)
    {
        var response = await _host.CreateClientAs("alice@example.com").PostAsync("/api/policy/evaluate", new StringContent(body, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Evaluate_OversizedBody_Is413()
    {
        var huge = "{\"function\":\"" + new string('x', 2 * 1024 * 1024) + "\"}";

        var response = await _host.CreateClientAs("alice@example.com").PostAsync("/api/policy/evaluate", new StringContent(huge, Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Reload_BrokenPolicy_KeepsTheLastGoodSet_AndAuditsTheRejection()
    {
        var client = _host.CreateClientAs("sam@example.com");
        var before = (await client.GetFromJsonAsync<JsonElement>("/api/policy")).GetProperty("policyHash").GetString();

        await File.WriteAllTextAsync(Path.Combine(_policies, "zz-broken.yaml"), "rules:\n  - id: oops\n    decison: allow\n");
        var result = await _host.Services.GetRequiredService<PolicyReloadService>().ReloadAsync(CancellationToken.None);

        result.Succeeded.ShouldBeFalse();
        var after = await client.GetFromJsonAsync<JsonElement>("/api/policy");
        after.GetProperty("policyHash").GetString().ShouldBe(before);
        after.GetProperty("history")[0].GetProperty("errors")[0].GetString()!.ShouldContain("zz-broken.yaml:3:5: unknown key 'decison'");
        var rejected = await client.GetFromJsonAsync<JsonElement>("/api/audit?type=policy.rejected");
        rejected.GetProperty("events")[0].GetProperty("data").GetProperty("keptPolicyHash").GetString().ShouldBe(before);
        (await client.GetAsync("/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Reload_OnFileChange_LoadsTheNewSet()
    {
        var client = _host.CreateClientAs("sam@example.com");
        var before = (await client.GetFromJsonAsync<JsonElement>("/api/policy")).GetProperty("policyHash").GetString();

        await File.AppendAllTextAsync(Path.Combine(_policies, "slack.yaml"), "\n  - { id: slack-extra, match: { function: slack.lookup_user }, decision: deny }\n");

        await Eventually.ReturnsAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>("/api/policy")).GetProperty("policyHash").GetString(),
            after => after != before,
            "the file watcher reloads the changed policy set");
        (await client.GetFromJsonAsync<JsonElement>("/api/audit?type=policy.loaded")).GetProperty("events").GetArrayLength().ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public void Startup_WithABrokenPolicySet_RefusesToStart_NamingFileAndLine()
    {
        File.WriteAllText(Path.Combine(_policies, "bad.yaml"), "rules:\n  - id: x\n    decision: allow\n    match: { function: slack.nope }\n");
        using var host = new AgentHostFactory(new Dictionary<string, string?> { ["Policies:Path"] = _policies });

        var error = Should.Throw<InvalidOperationException>(() => host.CreateClient());

        error.Message.ShouldContain("bad.yaml:4:24: unknown function 'slack.nope'");
    }

    public void Dispose()
    {
        _host.Dispose();
        Directory.Delete(_policies, recursive: true);
    }
}
