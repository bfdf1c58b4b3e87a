using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Runs;
using AgentHost.Tests.Emulators;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Infrastructure;

/// <summary>Agents, runs and approvals through the host's HTTP API, as the people in directory.yaml use it.</summary>
public static class RunsApi
{
    /// <summary>An e-mail to the partner domain: policy parks it for approval.</summary>
    public const string ExternalMail = "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"all green\"}";

    private static readonly string[] Ended = ["succeeded", "failed", "stopped"];

    public static async Task<string> CreateAgentAsync(AgentHostFactory host, string owner = "alice@example.com", int tokensPerRun = 50_000)
    {
        ArgumentNullException.ThrowIfNull(host);
        var response = await host.CreateClientAs(owner).PostAsJsonAsync("/api/agents", new
        {
            name = "Ops helper",
            instructions = "Answer questions about #ops.",
            tools = new[] { "slack.read_channel", "email.send" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"], ["email.recipientDomains"] = ["partner.test"] },
            budgets = new { tokensPerRun, tokensPerDay = 1_000_000, maxTurns = 5, maxConcurrentRuns = 2 },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Starts a run and waits until it ends (or reaches <paramref name="until"/>).</summary>
    public static async Task<JsonElement> RunToEndAsync(AgentHostFactory host, string agentId, string input, string? until = null, string owner = "alice@example.com")
    {
        ArgumentNullException.ThrowIfNull(host);
        var started = await host.CreateClientAs(owner).PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input });
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;
        return await WaitForAsync(host, runId, until, owner);
    }

    /// <summary>The run once it has ended, or reached status <paramref name="until"/>.</summary>
    public static Task<JsonElement> WaitForAsync(AgentHostFactory host, string runId, string? until = null, string owner = "alice@example.com")
    {
        ArgumentNullException.ThrowIfNull(host);
        var client = host.CreateClientAs(owner);
        return Eventually.ReturnsAsync(
            () => client.GetFromJsonAsync<JsonElement>($"/api/runs/{runId}"),
            run => run.GetProperty("status").GetString() is { } status && (status == until || Ended.Contains(status)),
            $"run {runId} ends" + (until is null ? string.Empty : $" or reaches {until}"));
    }

    /// <summary>
    /// The run's audit event types once what the store says is also in the trail: an ended run's ending
    /// event (the store shows the run ended a moment before the executor's run.succeeded, failed or
    /// stopped is committed), or what <paramref name="until"/> asks for. A parked run's trail is read as is.
    /// </summary>
    public static async Task<List<string>> AuditTypesAsync(AgentHostFactory host, string runId, Func<List<string>, bool>? until = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        // Read from the store, as text: a string today, an enum named the same once statuses are typed.
        var run = await host.Services.GetRequiredService<RunStore>().GetAsync(runId, CancellationToken.None);
        var status = run is null ? null : string.Create(CultureInfo.InvariantCulture, $"{run.Status}").ToLowerInvariant();
        var ending = status is not null && Ended.Contains(status) ? "run." + status : null;
        until ??= types => ending is null || types.Contains(ending);
        var client = host.CreateClientAs("sam@example.com");
        return await Eventually.ReturnsAsync(
            async () => (await client.GetFromJsonAsync<JsonElement>($"/api/audit?runId={runId}")).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToList(),
            until,
            $"run {runId}'s audit trail is complete (the store says {status ?? "no such run"})");
    }

    /// <summary>
    /// Starts a run of a fresh agent of <paramref name="owner"/> whose model proposes <paramref name="call"/>
    /// (by default <see cref="ExternalMail"/>), which policy parks for approval.
    /// </summary>
    public static async Task<(string RunId, string ApprovalId)> ParkAsync(AgentHostFactory host, ModelEmulator model, string owner = "alice@example.com", string? agentId = null, ToolCall? call = null, string input = "Mail the partner our status")
    {
        ArgumentNullException.ThrowIfNull(model);
        agentId ??= await CreateAgentAsync(host, owner);
        model.Enqueue(new ModelReply.ToolCalls([call ?? new ToolCall("email-send", ExternalMail, "call_mail")]));
        var run = await RunToEndAsync(host, agentId, input, until: "awaiting_approval", owner: owner);
        run.GetProperty("status").GetString().ShouldBe("awaiting_approval", run.ToString());
        var runId = run.GetProperty("id").GetString()!;
        return (runId, await PendingApprovalAsync(host, runId));
    }

    /// <summary>The id of the pending approval a parked run waits for.</summary>
    public static async Task<string> PendingApprovalAsync(AgentHostFactory host, string runId)
    {
        ArgumentNullException.ThrowIfNull(host);
        var approvals = await host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/approvals?status=pending");
        return approvals.EnumerateArray().Single(a => a.GetProperty("runId").GetString() == runId).GetProperty("id").GetString()!;
    }
}
