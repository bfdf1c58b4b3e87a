using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentHost.Plugins.Slack.Signing;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Slack;

/// <summary>A host wired to the model emulator and the Slack emulator, with the real Slack plugin.</summary>
public abstract class SlackHostTest : IAsyncLifetime
{
    public const string SigningSecret = SlackWorkspace.SigningSecret;
    public const string ApprovalChannel = SlackWorkspace.ApprovalChannel;

    protected RecordingToolExecutor Tools { get; } = new(realPlugin: "slack");

    protected ModelEmulator Model { get; private set; } = null!;

    protected SlackEmulator Slack { get; private set; } = null!;

    protected SlackHostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = await ModelEmulator.StartAsync();
        Slack = await SlackWorkspace.StartAsync(
            people: ["alice", "bob", "carol", "dave", "sam", "stranger"],
            teamMembers: ["alice", "bob", "carol", "dave", "sam"]);
        Host = new SlackHostFactory(Model, Slack, Tools);
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await Slack.DisposeAsync();
        await Model.DisposeAsync();
    }

    /// <summary>POSTs a body signed the way Slack signs it (or not, if a test says so).</summary>
    public static async Task<HttpResponseMessage> PostSignedAsync(AgentHostFactory host, string path, string body, string contentType, DateTimeOffset? at = null, string? secret = SigningSecret, string? signatureOverride = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        var timestamp = (at ?? TimeProvider.System.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        if (secret is not null)
        {
            request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
            request.Headers.Add("X-Slack-Signature", signatureOverride ?? SlackSignature.Compute(secret, timestamp, Encoding.UTF8.GetBytes(body)));
        }

        return await host.CreateClientAs(null).SendAsync(request);
    }

    public static string ClickBody(string slackUser, string approvalId, bool approve, string channel = ApprovalChannel) =>
        "payload=" + Uri.EscapeDataString($$"""
            {"type":"block_actions","user":{"id":"{{slackUser}}","username":"x"},"channel":{"id":"{{channel}}"},"container":{"type":"message","message_ts":"1764000001.000100"},"actions":[{"action_id":"{{(approve ? "approval_approve" : "approval_reject")}}","block_id":"approval","value":"{{approvalId}}","type":"button"}]}
            """);

    /// <summary>alice's "Ops answerer", which answers mentions in #ops (and her DMs if asked); returns its id.</summary>
    protected async Task<string> CreateMentionAgentAsync(bool directMessages = false, AgentHostFactory? host = null)
    {
        var response = await (host ?? Host).CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", new
        {
            name = "Ops answerer",
            instructions = "Answer questions about #ops from the channel's recent messages.",
            tools = new[] { "slack.read_channel", "slack.post_message" },
            scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"] },
            triggers = new { manual = true, slackMention = new { channels = new[] { "C0OPS" }, directMessages } },
            budgets = new { tokensPerRun = 50_000, tokensPerDay = 1_000_000, maxTurns = 5, maxConcurrentRuns = 2 },
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>An Events API envelope as Slack sends it, around one message event.</summary>
    public static string Event(string eventId, string type, string user, string channel, string ts, string text, string channelType = "channel") => new System.Text.Json.Nodes.JsonObject
    {
        ["token"] = "legacy",
        ["team_id"] = "T0EXAMPLE",
        ["api_app_id"] = "A0AGENTHOST",
        ["type"] = "event_callback",
        ["event_id"] = eventId,
        ["event_time"] = 1_764_000_000,
        ["event"] = new System.Text.Json.Nodes.JsonObject { ["type"] = type, ["user"] = user, ["channel"] = channel, ["ts"] = ts, ["text"] = text, ["event_ts"] = ts, ["channel_type"] = channelType },
    }.ToJsonString();

    public static Task EventuallyAsync(Func<bool> condition, string what) => Eventually.TrueAsync(condition, what);

    public sealed class SlackHostFactory(ModelEmulator model, SlackEmulator slack, RecordingToolExecutor tools, TimeProvider? time = null, string? policies = null, Dictionary<string, string?>? extra = null, string? dataDirectory = null, Action<IServiceCollection>? services = null)
        : RunHostFactory(model, tools, dataDirectory, time, Settings(slack, policies, extra))
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        }

        private static Dictionary<string, string?> Settings(SlackEmulator slack, string? policies, Dictionary<string, string?>? extra)
        {
            var settings = SlackWorkspace.HostSettings(slack);
            if (policies is not null)
            {
                settings["Policies:Path"] = policies;
            }

            foreach (var (key, value) in extra ?? [])
            {
                settings[key] = value;
            }

            return settings;
        }
    }
}
