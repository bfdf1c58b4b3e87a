using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Storage;
using AgentHost.Email;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Email;

/// <summary>A host with the real email plugin on the test mail servers, a mailbox of its own, and the model emulator.</summary>
public abstract class EmailHostTest : IAsyncLifetime
{
    protected string MailUser { get; } = MailServers.NewUser();

    protected string Marker { get; } = Guid.NewGuid().ToString("N")[..10];

    protected RecordingToolExecutor Tools { get; } = new(realPlugin: "email");

    protected ModelEmulator Model { get; private set; } = null!;

    protected EmailHostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = await ModelEmulator.StartAsync();
        Host = new EmailHostFactory(Model, Tools, MailUser);
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await Model.DisposeAsync();
    }

    protected static Task<int> PollAsync(AgentHostFactory host) => host.Services.GetRequiredService<EmailArrivals>().PollAsync(CancellationToken.None);

    /// <summary>An agent of alice's that triages the inbox into Triage and answers colleagues.</summary>
    protected static async Task<string> CreateTriageAgentAsync(AgentHostFactory host, string[]? triggerFolders = null, int maxConcurrentRuns = 5)
    {
        var response = await host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", TriageAgent(triggerFolders ?? ["INBOX"], maxConcurrentRuns));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    protected static object TriageAgent(string[] triggerFolders, int maxConcurrentRuns = 5) => new
    {
        name = "Inbox triage",
        instructions = "Read each new mail, move it to Triage, and answer colleagues briefly.",
        tools = new[] { "email.list_messages", "email.read_message", "email.move_message", "email.flag_message", "email.send" },
        scopes = new Dictionary<string, string[]> { ["email.folders"] = ["INBOX", "Triage"], ["email.recipientDomains"] = ["partner.test"] },
        triggers = new { manual = true, emailArrival = new { folders = triggerFolders } },
        budgets = new { tokensPerRun = 50_000, tokensPerDay = 1_000_000, maxTurns = 6, maxConcurrentRuns },
    };

    /// <summary>The runs of an agent straight from the store, oldest first: (id, status, input).</summary>
    protected static async Task<List<(string Id, string Status, string Input)>> RunsAsync(AgentHostFactory host, string agentId)
    {
        await using var connection = await host.Services.GetRequiredService<StoreDatabase>().OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, status, input FROM runs WHERE agent_id = @agent ORDER BY created_at, id";
        command.AddParameter("@agent", agentId);
        var runs = new List<(string, string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            runs.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return runs;
    }

    public sealed class EmailHostFactory(ModelEmulator model, RecordingToolExecutor tools, string mailUser, string? dataDirectory = null, int pollSeconds = 3600, IDictionary<string, string?>? extra = null)
        : AgentHostFactory(Settings(model, mailUser, pollSeconds, extra), dataDirectory)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<AgentHost.Core.Tools.IToolExecutor>(tools));
        }

        private static Dictionary<string, string?> Settings(ModelEmulator model, string mailUser, int pollSeconds, IDictionary<string, string?>? extra)
        {
            var settings = MailServers.HostSettings(mailUser, pollSeconds);
            foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            settings["Model:Endpoint"] = model.Endpoint.ToString();
            settings["Model:ApiKey"] = model.ApiKey;
            settings["Model:Name"] = "emulated-model";
            return settings;
        }
    }
}
