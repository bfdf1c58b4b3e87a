using System.Globalization;
using AgentHost.Tests.Email;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Tests.Security.Injection;

/// <summary>
/// The real host with all three real plugins at once: Slack over the Slack emulator, email over the test
/// Dovecot and SMTP sink, deploy over the GitHub emulator, and the model emulator, so an attack that
/// gets past the gate leaves a trace where it would in production (a message, a mail, a deployment).
/// </summary>
public sealed class InjectionHost : IAsyncDisposable
{
    private InjectionHost(ModelEmulator model, SlackEmulator slack, GitHubEmulator github, GitHubRepository web, string mailUser)
    {
        Model = model;
        Slack = slack;
        GitHub = github;
        Web = web;
        MailUser = mailUser;
        Host = new LoggedHostFactory(Settings(model, slack, github, mailUser), Logs);
    }

    public ModelEmulator Model { get; }

    public SlackEmulator Slack { get; }

    public GitHubEmulator GitHub { get; }

    public GitHubRepository Web { get; }

    public string MailUser { get; }

    public AgentHostFactory Host { get; }

    /// <summary>Every log line the host wrote, exceptions included, for the secrets tests.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Logs { get; } = new();

    public static async Task<InjectionHost> StartAsync()
    {
        var model = await ModelEmulator.StartAsync();
        var slack = await SlackWorkspace.StartAsync(
            people: ["alice", "bob", "carol", "sam", "stranger"],
            teamMembers: ["alice", "bob", "carol", "sam"]);
        var github = await GitHubEmulator.StartAsync();
        var web = github.AddRepository("acme/web");
        github.SetPermission("acme/web", "alice-adams", "write");
        foreach (var number in new[] { 1042, 1077, 1099 })
        {
            web.AddPullRequest(number, $"Change {number}", "Routine change.", "mallory", $"mallory/change-{number}");
        }

        web.AddWorkflow(501, "exfil-secrets.yml");
        web.AddWorkflow(502, "publish-keys.yml");
        return new InjectionHost(model, slack, github, web, MailServers.NewUser());
    }

    /// <summary>Writes that reached a service: Slack posts and reactions (not the host's approval cards), GitHub writes, sent mail.</summary>
    public int Effects(string marker) =>
        Slack.Calls.Count(c => c.Method is "reactions.add" or "conversations.invite" || (c.Method == "chat.postMessage" && c.Arguments["blocks"] is null))
        + GitHub.Calls.Count(c => c.Method != "GET")
        + MailServers.Sent(marker).Count;

    public async ValueTask DisposeAsync()
    {
        Host.Dispose();
        await GitHub.DisposeAsync();
        await Slack.DisposeAsync();
        await Model.DisposeAsync();
    }

    private static Dictionary<string, string?> Settings(ModelEmulator model, SlackEmulator slack, GitHubEmulator github, string mailUser)
    {
        var settings = RunHostFactory.ModelSettings(model, MailServers.HostSettings(mailUser));
        foreach (var (key, value) in SlackWorkspace.HostSettings(slack))
        {
            settings[key] = value;
        }

        settings["GitHub:Token"] = GitHubEmulator.Token;
        settings["GitHub:ApiBaseUrl"] = github.ApiBaseUrl.ToString();
        settings["GitHub:TimeoutSeconds"] = 10.ToString(CultureInfo.InvariantCulture);
        return settings;
    }

    private sealed class LoggedHostFactory(Dictionary<string, string?> settings, System.Collections.Concurrent.ConcurrentQueue<string> logs) : AgentHostFactory(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<ILoggerProvider>(new CapturingLoggerProvider(logs)));
        }
    }
}
