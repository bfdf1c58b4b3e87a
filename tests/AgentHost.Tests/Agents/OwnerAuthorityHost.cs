using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using AgentHost.Tests.Slack;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Agents;

/// <summary>
/// A host with Slack and GitHub configured against their emulators and a fake clock, so the owner's real
/// membership and permission decide, and a test can move past the 60 s cache. alice (U0ALICE01, GitHub
/// alice-adams) is in #ops (C0OPS); the HR channel C0HR is private to carol and the bot.
/// </summary>
public abstract class OwnerAuthorityHost : IAsyncLifetime
{
    public const string HrChannel = "C0HR";

    protected RecordingToolExecutor Tools { get; } = new(realPlugin: "slack", otherRealPlugin: "deploy");

    protected FakeTimeProvider Clock { get; } = new(TimeProvider.System.GetUtcNow());

    protected ModelEmulator Model { get; private set; } = null!;

    protected SlackEmulator Slack { get; private set; } = null!;

    protected GitHubEmulator GitHub { get; private set; } = null!;

    protected AgentHostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = await ModelEmulator.StartAsync();
        Slack = await SlackWorkspace.StartAsync(people: ["alice", "bob", "carol", "root"], teamMembers: []);
        Slack.Join(SlackWorkspace.OpsChannel, "U0ALICE01");
        Slack.Join(SlackWorkspace.ApprovalChannel, "U0ALICE01");
        Slack.AddPrivateChannel(HrChannel, "U0CAROL01", SlackEmulator.BotUserId);
        GitHub = await GitHubEmulator.StartAsync();
        GitHub.AddRepository("acme/web");
        GitHub.AddRepository("acme/payroll");
        GitHub.SetPermission("acme/web", "alice-adams", "write");
        GitHub.SetPermission("acme/payroll", "alice-adams", "read");
        Host = new SlackHostTest.SlackHostFactory(Model, Slack, Tools, Clock, extra: new()
        {
            ["GitHub:Token"] = GitHubEmulator.Token,
            ["GitHub:ApiBaseUrl"] = GitHub.ApiBaseUrl.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await GitHub.DisposeAsync();
        await Slack.DisposeAsync();
        await Model.DisposeAsync();
    }

    protected Task<HttpResponseMessage> CreateAsync(string owner, string[] tools, Dictionary<string, string[]> scopes) =>
        Host.CreateClientAs(owner).PostAsJsonAsync("/api/agents", Body(tools, scopes));

    protected static object Body(string[] tools, Dictionary<string, string[]> scopes) => new
    {
        name = "Helper",
        instructions = "Help with what you are asked.",
        tools,
        scopes,
        budgets = new { tokensPerRun = 50_000, tokensPerDay = 1_000_000, maxTurns = 5, maxConcurrentRuns = 2 },
    };

    /// <summary>The messages of one field of a validation problem (RFC 9457 errors member).</summary>
    protected static async Task<string[]> ErrorsOfAsync(HttpResponseMessage response, string field)
    {
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        return problem.GetProperty("errors").TryGetProperty(field, out var messages)
            ? messages.EnumerateArray().Select(m => m.GetString()!).ToArray()
            : throw new ShouldAssertException($"no errors for '{field}' in {problem}");
    }

    protected static async Task<string> IdOfAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
}
