using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Tests.Emulators;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Runs;

/// <summary>
/// A host with every plugin the agent form shows configured against an emulator: the real Slack plugin on
/// the Slack emulator (channels #approvals, #ops, #general, #releases, #release-notes, #exec), the real
/// deploy plugin on the GitHub emulator (acme/web, alice may write), the model emulator, and a recording
/// double for e-mail. Whatever reaches Slack or GitHub is in the emulators' call logs.
/// </summary>
public abstract class FormHostTest : IAsyncLifetime
{
    public const string Releases = "C0RELEASES";
    public const string ReleaseNotes = "C0RELNOTES";
    public const string Exec = "C0EXEC";

    protected RecordingToolExecutor Mail { get; } = new(realPlugin: "slack", otherRealPlugin: "deploy");

    protected ModelEmulator Model { get; private set; } = null!;

    protected SlackEmulator Slack { get; private set; } = null!;

    protected GitHubEmulator GitHub { get; private set; } = null!;

    protected GitHubRepository Web { get; private set; } = null!;

    protected FormHostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = await ModelEmulator.StartAsync();
        Slack = await SlackWorkspace.StartAsync(people: ["alice", "bob", "carol", "dave", "sam"], teamMembers: ["alice", "bob", "carol", "dave", "sam"]);
        Slack.NameChannel(SlackWorkspace.ApprovalChannel, "approvals");
        Slack.NameChannel(SlackWorkspace.OpsChannel, "ops");
        Slack.NameChannel(SlackWorkspace.GeneralChannel, "general");
        Slack.NameChannel(Releases, "releases");
        Slack.NameChannel(ReleaseNotes, "release-notes");
        Slack.NameChannel(Exec, "exec");
        Slack.Join(Releases, SlackWorkspace.UserIds["alice"]);
        Slack.Join(ReleaseNotes, SlackWorkspace.UserIds["alice"]);
        Slack.Join(Exec, SlackWorkspace.UserIds["bob"]);
        GitHub = await GitHubEmulator.StartAsync();
        Web = GitHub.AddRepository("acme/web");
        GitHub.SetPermission("acme/web", "alice-adams", "write");
        Host = new FormHostFactory(Model, Slack, GitHub, Mail);
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await GitHub.DisposeAsync();
        await Slack.DisposeAsync();
        await Model.DisposeAsync();
    }

    /// <summary>alice's release agent: deploys acme/web to staging and production, reads and posts in #releases.</summary>
    protected async Task<string> CreateReleaseAgentAsync()
    {
        var response = await Host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "Release helper",
            instructions = "Ship what you are asked to ship and say so in #releases.",
            tools = new[] { "deploy.create_deployment", "deploy.get_status", "slack.read_channel", "slack.post_message", "email.send" },
            scopes = new Dictionary<string, string[]> { ["github.repos"] = ["acme/web"], ["github.environments"] = ["staging", "production"], ["slack.channels"] = [Releases], ["email.recipientDomains"] = ["partner.test"] },
            budgets = new { tokensPerRun = 50_000, tokensPerDay = 1_000_000, maxTurns = 5, maxConcurrentRuns = 2 },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    protected static ToolCall Deploy(string environment, string callId) =>
        new("deploy-create_deployment", JsonSerializer.Serialize(new { repo = "acme/web", @ref = "main", environment }), callId);

    public sealed class FormHostFactory(ModelEmulator model, SlackEmulator slack, GitHubEmulator github, RecordingToolExecutor mail)
        : AgentHostFactory(Settings(model, slack, github))
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<AgentHost.Core.Tools.IToolExecutor>(mail));
        }

        private static Dictionary<string, string?> Settings(ModelEmulator model, SlackEmulator slack, GitHubEmulator github)
        {
            var settings = new Dictionary<string, string?>(SlackWorkspace.HostSettings(slack))
            {
                ["GitHub:Token"] = GitHubEmulator.Token,
                ["GitHub:ApiBaseUrl"] = github.ApiBaseUrl.ToString(),
                ["GitHub:TimeoutSeconds"] = "10",
            };
            foreach (var (key, value) in RunHostFactory.ModelSettings(model))
            {
                settings[key] = value;
            }

            return settings;
        }
    }
}
