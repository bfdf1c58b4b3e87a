using AgentHost.Agents;
using AgentHost.Audit;
using AgentHost.Auth;
using AgentHost.Cli;
using AgentHost.Directory;
using AgentHost.Hosting;
using AgentHost.Policies;
using AgentHost.Store;

if (CommandLine.IsCommand(args))
{
    return await CommandLine.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddEdge();
builder.AddStore();
builder.AddAudit();
builder.AddUserDirectory();
builder.AddAgentHostAuth();
builder.AddPolicies();
builder.AddAgents();

var app = builder.Build();
app.UseEdge();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealth();
app.MapPolicies();
app.MapAudit();
app.MapAgents();
await app.RunAsync();
return 0;

public partial class Program;
