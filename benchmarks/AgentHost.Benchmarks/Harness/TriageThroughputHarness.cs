using System.Diagnostics;
using System.Globalization;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Gate;
using AgentHost.Core.Policies;
using AgentHost.Core.Runs;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Email;
using AgentHost.Plugins.Email.Mailbox;
using AgentHost.Plugins.Email.Sending;
using AgentHost.Plugins.Email.Tools;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// Triage throughput against the real Dovecot of tests/mail/start-mail-servers.sh: per message, list the
/// newest, read it, move it to Triage. Once with MailKit directly on one connection, once the way an
/// agent does it: each of the three calls through the gate (policy, audit group commits, run records)
/// and the email plugin's pooled client. The model is out of the picture.
/// </summary>
public static class TriageThroughputHarness
{
    private const string Password = "agenthost-imap-test";

    public static async Task RunAsync(TextWriter output, int messages, string workDirectory)
    {
        var port = int.Parse(Environment.GetEnvironmentVariable("AGENTHOST_TEST_IMAP_PORT") ?? "10143", CultureInfo.InvariantCulture);
        var directUser = "bench" + Guid.NewGuid().ToString("N")[..10];
        var governedUser = "bench" + Guid.NewGuid().ToString("N")[..10];
        await SeedAsync(port, directUser, messages);
        await SeedAsync(port, governedUser, messages);

        var direct = await MeasureAsync(messages, () => DirectAsync(port, directUser, messages));
        var governed = await MeasureAsync(messages, () => GovernedAsync(port, governedUser, messages, workDirectory));

        output.WriteLine("| path | messages | seconds | messages/s |");
        output.WriteLine("|---|---|---|---|");
        output.WriteLine($"| MailKit directly (one connection) | {messages} | {direct.Seconds:F2} | {direct.Rate:F1} |");
        output.WriteLine($"| agent tools through the gate | {messages} | {governed.Seconds:F2} | {governed.Rate:F1} |");
        output.WriteLine();
        output.WriteLine($"governed/direct throughput ratio: {governed.Rate / direct.Rate:F2}");
    }

    private static async Task DirectAsync(int port, string user, int messages)
    {
        using var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, Password);
        var triage = await client.GetFolderAsync("Triage");
        for (var i = 0; i < messages; i++)
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
            var newest = (await client.Inbox.SearchAsync(SearchQuery.All)).Max();
            await client.Inbox.FetchAsync([newest], MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.InternalDate | MessageSummaryItems.PreviewText);
            var summary = (await client.Inbox.FetchAsync([newest], MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure))[0];
            await client.Inbox.GetBodyPartAsync(newest, summary.TextBody!);
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            await client.Inbox.MoveToAsync(newest, triage);
        }

        await client.DisconnectAsync(true);
    }

    private static async Task GovernedAsync(int port, string user, int messages, string workDirectory)
    {
        await using var log = await HarnessLog.StartAsync(Path.Combine(workDirectory, $"triage-{Guid.NewGuid():N}"));
        var runs = new RunStore(log.Database, TimeProvider.System);
        var policies = new PolicyProvider(Path.Combine(PolicyFixtures.RepositoryRoot(), "policies"), AgentHost.Tools.BuiltInPlugins.Catalog());
        policies.Reload();
        var gate = new ToolGate(policies, PolicyFixtures.People(), log.Writer);
        var agent = await new AgentStore(log.Database, TimeProvider.System).CreateAsync("alice@example.com", new AgentDefinition(
            "triage", null, "triage", null, ["email.list_messages", "email.read_message", "email.move_message"],
            new Dictionary<string, IReadOnlyList<string>> { ["email.folders"] = ["INBOX", "Triage"] }, null, null), CancellationToken.None);
        var run = await runs.CreateAsync(agent.Id, "alice@example.com", "triage", CancellationToken.None);
        await runs.TryStartAsync(run.Id, CancellationToken.None);

        var options = Microsoft.Extensions.Options.Options.Create(new EmailOptions
        {
            Imap = new MailServerOptions { Host = "127.0.0.1", Port = port, Security = MailSecurity.None, User = user, Password = Password },
        });
        await using var pool = new ImapConnectionPool(options, NullLogger<ImapConnectionPool>.Instance);
        var tools = AgentHost.Tools.KernelToolExecutor.For(new EmailTools(new MailboxClient(pool, options), null, options), AgentHost.Plugins.Email.EmailPlugin.Descriptor);
        var turn = 0;
        var unsettled = Task.CompletedTask;
        for (var i = 0; i < messages; i++)
        {
            ToolResult listed;
            (listed, unsettled) = await CallAsync(gate, runs, tools, agent, run.Id, ++turn, unsettled, "email.list_messages", new() { ["folder"] = "INBOX", ["limit"] = "1" });
            var id = listed.Content[3..listed.Content.IndexOf(' ', 3)];
            (_, unsettled) = await CallAsync(gate, runs, tools, agent, run.Id, ++turn, unsettled, "email.read_message", new() { ["folder"] = "INBOX", ["id"] = id });
            (_, unsettled) = await CallAsync(gate, runs, tools, agent, run.Id, ++turn, unsettled, "email.move_message", new() { ["folder"] = "INBOX", ["id"] = id, ["destination"] = "Triage" });
        }

        await unsettled;
    }

    /// <returns>The result, and its outcome record queued for the writer's next commit: as the run loop does, the next decision waits for it.</returns>
    private static async Task<(ToolResult Result, Task Outcome)> CallAsync(ToolGate gate, RunStore runs, AgentHost.Tools.KernelToolExecutor tools, Agent agent, string runId, int turn, Task unsettled, string function, Dictionary<string, string> arguments)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(arguments);
        var call = new ProposedToolCall(runId, turn, $"call-{turn}", function, arguments.ToDictionary(a => a.Key, a => (ToolArgumentValue)a.Value), json, ProposedToolCall.Clean);
        var decision = await gate.DecideAsync(agent, "alice@example.com", call, d => RunStore.ToolCallWrite(new ToolCallRecord(runId, turn, call.CallId, function, json, "allow", d.RuleIds, ToolCallOutcome.Requested, null)), CancellationToken.None);
        await unsettled;
        if (decision.Outcome != PolicyOutcome.Allow)
        {
            throw new InvalidOperationException($"{function} was not allowed: {decision.Outcome}");
        }

        _ = await runs.GetAsync(runId, CancellationToken.None);
        var result = await tools.ExecuteAsync(new ToolInvocation(function, arguments.ToDictionary(a => a.Key, a => (object?)a.Value), agent.Id, runId, call.CallId), CancellationToken.None);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"{function} failed: {result.Content}");
        }

        var outcome = gate.RecordOutcomeAsync(agent, call, true, result.Content, AuditContent.Create(AuditContentKind.ToolResult, result.Content, 1024 * 1024), RunStore.ToolCallWrite(new ToolCallRecord(runId, turn, call.CallId, function, json, "allow", decision.RuleIds, ToolCallOutcome.Executed, "ok")), TimeProvider.System.GetUtcNow(), CancellationToken.None);
        return (result, outcome);
    }

    private static async Task SeedAsync(int port, string user, int messages)
    {
        using var client = new ImapClient();
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        await client.AuthenticateAsync(user, Password);
        for (var i = 0; i < messages; i++)
        {
            var message = new MimeMessage { Subject = $"Ticket {i}", Body = new TextPart("plain") { Text = $"Customer {i} reports that the export fails with error 0x{i:x4}. " + new string('.', 1_500) } };
            message.From.Add(MailboxAddress.Parse($"customer{i}@outside.test"));
            message.To.Add(MailboxAddress.Parse("support@example.com"));
            await client.Inbox.AppendAsync(message);
        }

        await client.DisconnectAsync(true);
    }

    private static async Task<(double Seconds, double Rate)> MeasureAsync(int messages, Func<Task> work)
    {
        var watch = Stopwatch.StartNew();
        await work();
        return (watch.Elapsed.TotalSeconds, messages / watch.Elapsed.TotalSeconds);
    }
}
