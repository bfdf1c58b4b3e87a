using AgentHost.Auth;
using AgentHost.Directory;

var builder = WebApplication.CreateBuilder(args);
builder.AddUserDirectory();
builder.AddAgentHostAuth();
var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
app.Run();

public partial class Program;
