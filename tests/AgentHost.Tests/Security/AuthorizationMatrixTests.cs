using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Security;

/// <summary>
/// Every endpoint the host maps × every kind of caller, with the status each must get. The endpoint list
/// comes from the host's own EndpointDataSource, so a new endpoint without a row fails this test: whoever
/// adds a route decides, here, who may call it. Rows run in order and roles left to right, so a row that
/// changes state (a vote, a kill switch) states what each caller meets at that moment.
/// </summary>
public sealed class AuthorizationMatrixTests : RunHostTest
{
    /// <summary>Callers, in column order. alice owns the agent; bob is her manager and a team lead; carol a team lead.</summary>
    private static readonly (string Role, string? Email)[] Callers =
    [
        ("anonymous", null), ("employee", "alice@example.com"), ("other employee", "dave@example.com"), ("manager", "bob@example.com"),
        ("approver", "carol@example.com"), ("security", "sam@example.com"), ("admin", "root@example.com"),
    ];

    /// <summary>
    /// One row per route pattern and method: the request to send ({agent}, {run}, {approval} filled in; {fresh} is a new agent of alice's) and
    /// the expected status per caller, in the order of <see cref="Callers"/>. To add an endpoint, add a row.
    /// </summary>
    private static readonly MatrixRow[] Rows =
    [
        new("GET", "/healthz", "/healthz", null, [200, 200, 200, 200, 200, 200, 200]),
        new("*", "/readyz", "/readyz", null, [200, 200, 200, 200, 200, 200, 200]),
        new("GET", "/api/policy/", "/api/policy/", null, [401, 200, 200, 200, 200, 200, 200]),
        new("POST", "/api/policy/evaluate", "/api/policy/evaluate", """{"function":"slack.read_channel","arguments":{"channel":"C0OPS"},"agent":{"owner":"alice@example.com","tools":["slack.read_channel"],"scopes":{"slack.channels":["C0OPS"]}}}""", [401, 200, 200, 200, 200, 200, 200]),
        new("POST", "/api/policy/replay", "/api/policy/replay", """{"since":"1d"}""", [401, 403, 403, 403, 403, 200, 200]),
        new("GET", "/api/audit/", "/api/audit/?runId={run}", null, [401, 403, 403, 403, 403, 200, 200]),
        new("GET", "/api/audit/verify", "/api/audit/verify", null, [401, 403, 403, 403, 403, 200, 200]),
        new("GET", "/api/audit/holds/", "/api/audit/holds/", null, [401, 403, 403, 403, 403, 200, 200]),
        new("POST", "/api/audit/holds/", "/api/audit/holds/", """{"target":"run","targetId":"run_nosuch","reason":"matrix"}""", [401, 403, 403, 403, 403, 400, 400]), // security may hold; this run does not exist
        new("POST", "/api/audit/holds/{id}/release", "/api/audit/holds/hold_nosuch/release", null, [401, 403, 403, 403, 403, 404, 404]),
        new("GET", "/api/audit/proof/inclusion", "/api/audit/proof/inclusion?seq=1&size=1", null, [401, 403, 403, 403, 403, 200, 200]),
        new("GET", "/api/audit/proof/consistency", "/api/audit/proof/consistency?from=1&size=1", null, [401, 403, 403, 403, 403, 200, 200]),
        new("GET", "/api/audit/checkpoints", "/api/audit/checkpoints", null, [401, 403, 403, 403, 403, 200, 200]),
        new("GET", "/api/audit/public-key", "/api/audit/public-key", null, [401, 403, 403, 403, 403, 200, 200]),
        new("GET", "/api/audit/export", "/api/audit/export?format=csv", null, [401, 403, 403, 403, 403, 200, 200]),
        new("GET", "/api/audit/overview", "/api/audit/overview?days=7", null, [401, 403, 403, 403, 403, 200, 200]),
        new("POST", "/api/agents/", "/api/agents/", AgentJson, [401, 201, 201, 201, 201, 201, 201]),
        new("GET", "/api/agents/", "/api/agents/?owner=alice@example.com", null, [401, 200, 403, 200, 403, 200, 200]),
        new("GET", "/api/agents/{id}", "/api/agents/{agent}", null, [401, 200, 404, 200, 404, 200, 200]),
        new("PUT", "/api/agents/{id}", "/api/agents/{agent}", AgentJson, [401, 200, 404, 403, 404, 403, 200]),
        new("GET", "/api/runs/{id}", "/api/runs/{run}", null, [401, 200, 404, 200, 404, 200, 200]),
        new("GET", "/api/runs/{id}/conversation", "/api/runs/{run}/conversation", null, [401, 200, 404, 200, 404, 200, 200]),
        new("GET", "/api/runs/", "/api/runs?agentId={agent}", null, [401, 200, 404, 200, 404, 200, 200]),
        new("GET", "/api/approvals/", "/api/approvals", null, [401, 200, 200, 200, 200, 200, 200]),
        new("GET", "/api/usage/", "/api/usage", null, [401, 200, 200, 200, 200, 200, 200]),
        new("POST", "/api/approvals/{id}/decision", "/api/approvals/{approval}/decision", """{"decision":"reject","comment":"not now"}""", [401, 403, 403, 200, 409, 403, 403]),
        new("POST", "/api/agents/{id}/runs", "/api/agents/{fresh}/runs", """{"input":"hello"}""", [401, 202, 404, 403, 404, 403, 202]),
        new("GET", "/api/agents/{id}/grants", "/api/agents/{agent}/grants", null, [401, 200, 404, 200, 404, 200, 200]),
        new("GET", "/api/agents/{id}/versions", "/api/agents/{agent}/versions", null, [401, 200, 404, 200, 404, 200, 200]), // history: whoever sees the agent
        new("GET", "/api/agents/{id}/versions/{version}", "/api/agents/{agent}/versions/1", null, [401, 200, 404, 200, 404, 200, 200]),
        new("POST", "/api/agents/{id}/grants", "/api/agents/{agent}/grants", """{"scope":"slack.channels","value":"C0GENERAL","reason":"matrix"}""", [401, 403, 404, 403, 404, 403, 200]),
        new("POST", "/api/agents/{id}/disable", "/api/agents/{agent}/disable", """{"reason":"matrix"}""", [401, 200, 404, 403, 404, 200, 200]),
        new("POST", "/api/runs/{id}/stop", "/api/runs/{run}/stop", """{"reason":"matrix"}""", [401, 409, 404, 403, 404, 403, 409]), // the kill switch above ended the run: those who may stop it hear so
        new("POST", "/api/agents/{id}/enable", "/api/agents/{agent}/enable", """{"reason":"matrix"}""", [401, 200, 404, 403, 404, 403, 409]), // security may disable, not re-enable; alice re-enabled it first
        new("GET", "/api/mcp/servers/", "/api/mcp/servers/", null, [401, 200, 200, 200, 200, 200, 200]),
        new("POST", "/api/mcp/servers/{name}/approve", "/api/mcp/servers/nosuch/approve", """{"tools":{"mcp.nosuch.echo":"00"}}""", [401, 403, 403, 403, 403, 403, 404]), // only admins approve; this host has no such server
        new("POST", "/slack/interactivity", "/slack/interactivity", "payload=%7B%7D", [401, 401, 401, 401, 401, 401, 401]),
        new("POST", "/slack/events", "/slack/events", """{"type":"url_verification","challenge":"x"}""", [401, 401, 401, 401, 401, 401, 401]),

        // Pages ("*": Razor Pages take any method; a GET is sent). Anonymous callers are sent to sign-in.
        // Their form posts need an antiforgery token and are covered, role by role, in tests/AgentHost.Tests/Web.
        new("*", "", "/", null, [302, 302, 302, 302, 302, 302, 302]),
        new("*", "signin", "/signin", null, [200, 200, 200, 200, 200, 200, 200]),
        new("*", "signout", "/signout", null, [302, 302, 302, 302, 302, 302, 302]), // a GET only points to sign-in; signing out is a POST with antiforgery
        new("GET", "/openapi/{documentName}.json", "/openapi/v1.json", null, [302, 200, 200, 200, 200, 200, 200]), // the API's description, for signed-in callers
        new("GET", "/web/site.css", "/web/site.css", null, [200, 200, 200, 200, 200, 200, 200]),
        new("GET", "/web/run-live.js", "/web/run-live.js", null, [302, 200, 200, 200, 200, 200, 200]),
        new("*", "agents", "/agents?owner=alice@example.com", null, [302, 200, 403, 200, 403, 200, 200]),
        new("*", "/agents/new", "/agents/new", null, [302, 200, 200, 200, 200, 200, 200]),
        new("*", "agents/{id}", "/agents/{agent}", null, [302, 200, 404, 200, 404, 200, 200]),
        new("*", "agents/{id}/edit", "/agents/{agent}/edit", null, [302, 200, 404, 403, 404, 403, 200]),
        new("*", "agents/{id}/history", "/agents/{agent}/history", null, [302, 200, 404, 200, 404, 200, 200]),
        new("*", "runs", "/runs?agentId={agent}", null, [302, 200, 404, 200, 404, 200, 200]),
        new("*", "runs/{id}", "/runs/{run}", null, [302, 200, 404, 200, 404, 200, 200]),
        new("*", "approvals", "/approvals", null, [302, 200, 200, 200, 200, 200, 200]),
        new("*", "usage", "/usage", null, [302, 200, 200, 200, 200, 200, 200]),
        new("*", "policies", "/policies", null, [302, 200, 200, 200, 200, 200, 200]),
        new("*", "audit", "/audit", null, [302, 403, 403, 403, 403, 200, 200]),
        new("*", "audit/events/{seq:long}", "/audit/events/1", null, [302, 403, 403, 403, 403, 200, 200]),
        new("*", "audit/verify", "/audit/verify", null, [302, 403, 403, 403, 403, 200, 200]),
        new("*", "security", "/security", null, [302, 403, 403, 403, 403, 200, 200]),
        new("*", "error/{code:int}", "/error/404", null, [404, 404, 404, 404, 404, 404, 404]), // the page a browser's error status re-executes; it keeps the status
    ];

    private const string AgentJson = """{"name":"Matrix helper","instructions":"Answer questions about #ops.","tools":["slack.read_channel","email.send"],"scopes":{"slack.channels":["C0OPS"],"email.recipientDomains":["partner.test"]}}""";

    [Fact]
    public async Task EveryEndpoint_HasARow_AndEveryRoleGetsTheExpectedStatus()
    {
        Model.Respond = request => request["messages"]!.AsArray().Any(m => m!["role"]!.GetValue<string>() == "assistant")
            ? new ModelReply.Text("ok")
            : new ModelReply.ToolCalls([new ToolCall("email-send", """{"to":["ops@partner.test"],"subject":"status","body":"green"}""")]);
        var agent = await RunsApi.CreateAgentAsync(Host);
        var run = await RunsApi.RunToEndAsync(Host, agent, "Tell the partner", until: "awaiting_approval");
        var runId = run.GetProperty("id").GetString()!;
        var approvals = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        var approvalId = approvals.EnumerateArray().Single(a => a.GetProperty("runId").GetString() == runId).GetProperty("id").GetString()!;

        var mapped = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToHashSet(StringComparer.Ordinal);
        var covered = Rows.Select(r => $"{r.Method} {r.Pattern}").ToHashSet(StringComparer.Ordinal);
        mapped.Except(covered).Order(StringComparer.Ordinal).ShouldBeEmpty("endpoints without a row in the authorization matrix: add one (docs/security.md)");
        covered.Except(mapped).Order(StringComparer.Ordinal).ShouldBeEmpty("rows for endpoints the host does not map");

        var mismatches = new List<string>();
        var table = new StringBuilder("| endpoint | " + string.Join(" | ", Callers.Select(c => c.Role)) + " |\n");
        foreach (var row in Rows)
        {
            // A row that starts runs gets an agent of its own, so the concurrency limit of the first one never answers for it.
            var fresh = row.Path.Contains("{fresh}", StringComparison.Ordinal) ? await RunsApi.CreateAgentAsync(Host) : agent;
            var path = row.Path.Replace("{fresh}", fresh, StringComparison.Ordinal).Replace("{agent}", agent, StringComparison.Ordinal).Replace("{run}", runId, StringComparison.Ordinal).Replace("{approval}", approvalId, StringComparison.Ordinal);
            var got = new List<int>();
            for (var i = 0; i < Callers.Length; i++)
            {
                using var request = new HttpRequestMessage(new HttpMethod(row.Method == "*" ? "GET" : row.Method), path);
                if (row.Body is not null)
                {
                    request.Content = new StringContent(row.Body, Encoding.UTF8, row.Body.StartsWith('{') ? "application/json" : "application/x-www-form-urlencoded");
                }

                using var response = await Host.CreateClientAs(Callers[i].Email).SendAsync(request);
                got.Add((int)response.StatusCode);
                if ((int)response.StatusCode != row.Expected[i])
                {
                    mismatches.Add($"{row.Method} {row.Pattern} as {Callers[i].Role}: expected {row.Expected[i]}, got {(int)response.StatusCode}");
                }
            }

            table.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {row.Method} {row.Pattern} | {string.Join(" | ", got)} |\n");
        }

        mismatches.ShouldBeEmpty(table.ToString());
    }

    private sealed record MatrixRow(string Method, string Pattern, string Path, string? Body, int[] Expected);
}
