using System.Globalization;
using System.Text;
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
    public const string SigningSecret = "test-signing-secret-5b1e0c7a9d";
    public const string ApprovalChannel = "C0APPROVE";

    protected RecordingToolExecutor Tools { get; } = new(realPlugin: "slack");

    protected ModelEmulator Model { get; private set; } = null!;

    protected SlackEmulator Slack { get; private set; } = null!;

    protected SlackHostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = await ModelEmulator.StartAsync();
        Slack = await SlackEmulator.StartAsync(ApprovalChannel, "C0OPS", "C0GENERAL");
        foreach (var (id, name) in new[] { ("U0ALICE01", "alice"), ("U0BOB0001", "bob"), ("U0CAROL01", "carol"), ("U0DAVE001", "dave"), ("U0SAM0001", "sam"), ("U0STRANGER", "stranger") })
        {
            Slack.AddUser(id, name, $"{name}@example.com");
        }

        // An agent's channels must be its owner's (OwnerAuthority): the directory's people are in the team channels.
        foreach (var member in new[] { "U0ALICE01", "U0BOB0001", "U0CAROL01", "U0DAVE001", "U0SAM0001" })
        {
            Slack.Join("C0OPS", member);
            Slack.Join("C0GENERAL", member);
        }

        Host = new SlackHostFactory(Model, Slack, Tools);
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await Slack.DisposeAsync();
        await Model.DisposeAsync();
    }

    /// <summary>POSTs a body signed the way Slack signs it (or not, if a test says so).</summary>
    public static async Task<HttpResponseMessage> PostSignedAsync(AgentHostFactory host, string path, string body, string contentType, DateTimeOffset? at = null, string? secret = SigningSecret, string? signatureOverride = null)
    {
        var timestamp = (at ?? TimeProvider.System.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
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

    public static Task EventuallyAsync(Func<bool> condition, string what) => Eventually.TrueAsync(condition, what);

    public sealed class SlackHostFactory(ModelEmulator model, SlackEmulator slack, RecordingToolExecutor tools, TimeProvider? time = null, string? policies = null, Dictionary<string, string?>? extra = null, string? dataDirectory = null, Action<IServiceCollection>? services = null) : AgentHostFactory(Settings(model, slack, policies, extra), dataDirectory)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(collection =>
            {
                collection.AddSingleton<AgentHost.Core.Tools.IToolExecutor>(tools);
                if (time is not null)
                {
                    collection.AddSingleton(time);
                }

                services?.Invoke(collection);
            });
        }

        private static Dictionary<string, string?> Settings(ModelEmulator model, SlackEmulator slack, string? policies, Dictionary<string, string?>? extra)
        {
            var settings = new Dictionary<string, string?>
            {
                ["Model:Endpoint"] = model.Endpoint.ToString(),
                ["Model:ApiKey"] = model.ApiKey,
                ["Model:Name"] = "emulated-model",
                ["Slack:BotToken"] = SlackEmulator.BotToken,
                ["Slack:SigningSecret"] = SigningSecret,
                ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
                ["Slack:ApprovalChannel"] = ApprovalChannel,
            };
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
