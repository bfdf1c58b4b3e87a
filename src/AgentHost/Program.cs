using AgentHost.Agents;
using AgentHost.Approvals;
using AgentHost.Audit;
using AgentHost.Audit.Overview;
using AgentHost.Audit.Retention;
using AgentHost.Audit.Siem;
using AgentHost.Auth;
using AgentHost.Cli;
using AgentHost.Deploy;
using AgentHost.Email;
using AgentHost.Employees;
using AgentHost.Hosting;
using AgentHost.Mcp;
using AgentHost.Policies;
using AgentHost.Runs;
using AgentHost.Slack;
using AgentHost.Store;
using AgentHost.Telemetry;
using AgentHost.Usage;
using AgentHost.Web;
using Microsoft.Extensions.DependencyInjection.Extensions;

if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);

// Secrets mounted as files (`Slack__BotToken_FILE=/run/secrets/...`), read before any feature reads its settings.
builder.Configuration.AddSecretFiles();

// A missing registration fails start-up, not the first background job that needs it.
builder.Host.UseDefaultServiceProvider(provider => provider.ValidateOnBuild = provider.ValidateScopes = true);

// The one clock of the host; tests replace it with a FakeTimeProvider.
builder.Services.TryAddSingleton(TimeProvider.System);
builder.AddListening(args);
builder.AddEdge();
builder.AddApi();
builder.AddTelemetry();
builder.AddStore();
builder.AddAudit();
builder.AddSecurityOverview();
builder.AddSiemStream();
builder.AddUserDirectory();
builder.AddAgentHostAuth();
builder.AddPolicies();
builder.AddAgents();
builder.AddApprovals();
builder.AddRuns();
builder.AddSlack();
builder.AddEmail();
builder.AddDeploy();
builder.AddMcp();
builder.AddUsage();
builder.AddWeb();

var servesWeb = builder.ServesWeb();
var app = builder.Build();
if (Listening.BusyPort(app) is { } busy)
{
    // One line an operator can act on, before any background service starts, instead of a stack trace.
    await Console.Error.WriteLineAsync(busy);
    return 2;
}

app.UseEdge();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealth();
if (servesWeb)
{
    app.MapApiDocument();
    app.MapPolicies();
    app.MapAudit();
    app.MapLegalHolds();
    app.MapSecurityOverview();
    app.MapAgents();
    app.MapRuns();
    app.MapApprovals();
    app.MapUsage();
    app.MapSlack();
    app.MapMcpServers();
    app.MapWeb();
}

try
{
    await app.RunAsync();
}
catch (IOException e) when (Listening.Describe(e, app) is { } line)
{
    // Taken between the check above and Kestrel's bind.
    await Console.Error.WriteLineAsync(line);
    return 2;
}

return 0;

public partial class Program;
