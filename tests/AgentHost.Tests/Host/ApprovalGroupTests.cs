using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Host;

/// <summary>
/// Two matching approval rules, two groups (team-leads and security-approvers): every group must agree,
/// with different people, and the inbox says what each group still needs. carol is in both groups, bob
/// only in team-leads, sam only in security-approvers, dave in neither.
/// </summary>
public sealed class ApprovalGroupTests : RunHostTest
{
    private const string ExternalMail = "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"all green\"}";

    [Fact]
    public async Task TwoGroups_OneGroupsApprovalAlone_DoesNotExecute_BothDo()
    {
        using var host = TwoGroupHost();
        var (runId, approvalId) = await ParkAsync(host);
        Model.Enqueue(new ModelReply.Text("Sent."));

        // sam alone settled it before: the old evaluation picked one group (security, the shorter timeout).
        var security = await host.CreateClientAs("sam@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var afterSecurity = await RunsApi.WaitForAsync(host, runId, until: "awaiting_approval");
        var pending = await ApprovalAsync(host, approvalId);
        var toolsAfterOne = Tools.Calls.Count;
        var lead = await host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var run = await RunsApi.WaitForAsync(host, runId);

        security.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await security.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString()!.ShouldContain("needs 1 more of team-leads (0 of 1)");
        afterSecurity.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        toolsAfterOne.ShouldBe(0);
        pending.GetProperty("needs").GetString().ShouldBe("needs 1 more of team-leads (0 of 1)");
        Progress(pending).ShouldBe(["team-leads 0/1 remaining 1", "security-approvers 1/1 remaining 0"], ignoreOrder: true);
        lead.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        Tools.Calls.ShouldHaveSingleItem().Function.ShouldBe("email.send");
        var decided = await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>($"/api/audit?type=approval.decided&runId={runId}");
        decided.GetProperty("events").EnumerateArray().Select(e => $"{e.GetProperty("actor").GetString()} {e.GetProperty("data").GetProperty("countedFor").GetString()} {e.GetProperty("data").GetProperty("outcome").GetString()}")
            .ShouldBe(["approver:sam@example.com security-approvers counted", "approver:bob@example.com team-leads approved"], ignoreOrder: true);
    }

    [Fact]
    public async Task TwoGroups_OnePersonInBoth_CannotSatisfyBoth()
    {
        using var host = TwoGroupHost();
        var (runId, approvalId) = await ParkAsync(host);
        Model.Enqueue(new ModelReply.Text("Sent."));

        var carol = await host.CreateClientAs("carol@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var again = await host.CreateClientAs("CAROL@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var afterCarol = await RunsApi.WaitForAsync(host, runId, until: "awaiting_approval");
        var pending = await ApprovalAsync(host, approvalId);

        // carol counted for one group; sam (security only) arrives second, and carol moves to team-leads.
        var sam = await host.CreateClientAs("sam@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var run = await RunsApi.WaitForAsync(host, runId);

        carol.StatusCode.ShouldBe(HttpStatusCode.OK);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        afterCarol.GetProperty("status").GetString().ShouldBe("awaiting_approval");
        pending.GetProperty("needs").GetString()!.ShouldStartWith("needs 1 more of ");
        Progress(pending).Sum(p => p.EndsWith("remaining 1", StringComparison.Ordinal) ? 1 : 0).ShouldBe(1);
        sam.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        Tools.Calls.ShouldHaveSingleItem();
    }

    [Fact]
    public async Task TwoGroups_SomeoneInNeitherGroup_IsRefused_AndAudited()
    {
        using var host = TwoGroupHost();
        var (runId, approvalId) = await ParkAsync(host);

        var dave = await host.CreateClientAs("dave@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var daveRejects = await host.CreateClientAs("dave@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "reject" });

        dave.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await dave.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString().ShouldBe("only members of team-leads or security-approvers decide this approval");
        daveRejects.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ApprovalAsync(host, approvalId)).GetProperty("votes").GetArrayLength().ShouldBe(0);
        (await RunsApi.AuditTypesAsync(host, runId)).Count(t => t == "auth.denied").ShouldBe(2);
        Tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task TwoGroups_OneRejectFromEitherGroup_Rejects()
    {
        using var host = TwoGroupHost();
        var (runId, approvalId) = await ParkAsync(host);
        Model.Enqueue(new ModelReply.Text("Not sent."));

        await host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var reject = await host.CreateClientAs("sam@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "reject", comment = "not this week" });
        var run = await RunsApi.WaitForAsync(host, runId);

        reject.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.GetProperty("toolCalls")[0].GetProperty("outcome").GetString().ShouldBe("rejected");
        Tools.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task TwoGroups_TheWhatIfExplanation_NamesEachGroup()
    {
        using var host = TwoGroupHost();
        var agentId = await RunsApi.CreateAgentAsync(host);

        var response = await host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/policy/evaluate", new
        {
            function = "email.send",
            arguments = JsonDocument.Parse(ExternalMail).RootElement,
            agentId,
        });
        var decision = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.ShouldBe(HttpStatusCode.OK, decision.ToString());
        decision.GetProperty("decision").GetString().ShouldBe("require_approval");
        decision.GetProperty("explanation").GetString()!.ShouldContain("needs approval by each group: 1 of team-leads and 1 of security-approvers (different people per group)");
        decision.GetProperty("approvals").EnumerateArray().Select(a => $"{a.GetProperty("group").GetString()}:{a.GetProperty("count").GetInt32()}").ShouldBe(["team-leads:1", "security-approvers:1"]);
    }

    /// <summary>The repository's policies plus a second rule: external mail also needs security.</summary>
    internal static string TwoGroupPolicies(string dataDirectory)
    {
        var policies = Path.Combine(dataDirectory, "policies-two-groups");
        Directory.CreateDirectory(policies);
        foreach (var file in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "policies"), "*.yaml"))
        {
            File.Copy(file, Path.Combine(policies, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(policies, "security-for-external-mail.yaml"), """
            rules:
              - id: email-send-external-needs-security
                description: Mail leaving the organisation is also read by security.
                match: { function: email.send }
                when:
                  - argument: [to, cc]
                    domain_not_in: { list: internal_domains }
                decision: require_approval
                approval: { group: security-approvers, count: 1, timeout: 4h }
            """);
        return policies;
    }

    internal static async Task<JsonElement> ApprovalAsync(AgentHostFactory host, string approvalId) =>
        (await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/approvals")).EnumerateArray().Single(a => a.GetProperty("id").GetString() == approvalId);

    private static List<string> Progress(JsonElement approval) => approval.GetProperty("groups").EnumerateArray()
        .Select(g => $"{g.GetProperty("group").GetString()} {g.GetProperty("approved").GetInt32()}/{g.GetProperty("required").GetInt32()} remaining {g.GetProperty("remaining").GetInt32()}")
        .ToList();

    private RunHostFactory TwoGroupHost() =>
        new(Model, Tools, settings: new Dictionary<string, string?> { ["Policies:Path"] = TwoGroupPolicies(Host.DataDirectory) });

    private Task<(string RunId, string ApprovalId)> ParkAsync(AgentHostFactory host) => RunsApi.ParkAsync(host, Model);

}
