using System.Text.Json;
using AgentHost.Core.Tools;
using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Host;

/// <summary>
/// The run helpers moved to Infrastructure (RunsApi, RunHostFactory). These forwarders keep tests written
/// in parallel branches compiling; once the branches are merged and no caller is left, delete this file.
/// </summary>
public sealed partial class RunTests
{
    internal static Task<string> CreateAgentAsync(AgentHostFactory host, string owner = "alice@example.com", int tokensPerRun = 50_000) =>
        RunsApi.CreateAgentAsync(host, owner, tokensPerRun);

    internal static Task<JsonElement> RunToEndAsync(AgentHostFactory host, string agentId, string input, string? until = null, string owner = "alice@example.com") =>
        RunsApi.RunToEndAsync(host, agentId, input, until, owner);

    internal static Task<JsonElement> WaitForAsync(AgentHostFactory host, string runId, string? until = null, string owner = "alice@example.com", int timeoutSeconds = 0) =>
        RunsApi.WaitForAsync(host, runId, until, owner);

    internal static Task<List<string>> AuditTypesAsync(AgentHostFactory host, string runId, Func<List<string>, bool>? until = null) => RunsApi.AuditTypesAsync(host, runId, until);

    public sealed class RunHostFactory(ModelEmulator model, IToolExecutor tools, string? dataDirectory = null, TimeProvider? time = null, IDictionary<string, string?>? settings = null)
        : Infrastructure.RunHostFactory(model, tools, dataDirectory, time, settings);
}
