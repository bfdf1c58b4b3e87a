using System.Diagnostics;
using AgentHost.Core.Tools;
using AgentHost.Telemetry;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace AgentHost.Tests.Telemetry;

/// <summary>
/// One run read through OpenTelemetry's in-memory exporter: its spans nest run → turn → model call →
/// tool call, each carries the run id, and the executor's logs carry it in their scope.
/// </summary>
public sealed class RunTelemetryTests : IAsyncLifetime
{
    private readonly Captured<Activity, Activity> _spans = new(span => span);
    private readonly Captured<LogRecord, ExportedLog> _logs = new(ExportedLog.From);
    private readonly RecordingToolExecutor _tools = new();
    private ModelEmulator _model = null!;
    private TracedHost _host = null!;

    public async Task InitializeAsync()
    {
        _model = await ModelEmulator.StartAsync();
        _host = new TracedHost(_model, _tools, _spans, _logs);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task OneRun_IsOneTrace_RunTurnModelCallToolCall_AllTaggedWithTheRunId()
    {
        var agent = await RunsApi.CreateAgentAsync(_host);
        _model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}", "call_read")], Prompt: 200, Completion: 15),
            new ModelReply.Text("Deploy is green.", Prompt: 300, Completion: 10));

        var run = await RunsApi.RunToEndAsync(_host, agent, "How is the deploy?");
        var runId = run.GetProperty("id").GetString()!;
        var spans = await SpansOfAsync(runId, expectedTurns: 2);

        var root = spans.Where(s => s.DisplayName == "agenthost.run").ShouldHaveSingleItem();
        root.GetTagItem("agenthost.agent_id").ShouldBe(agent);
        var turns = spans.Where(s => s.DisplayName == "agenthost.turn").OrderBy(s => (int)s.GetTagItem("agenthost.turn")!).ToList();
        turns.Select(t => (int)t.GetTagItem("agenthost.turn")!).ShouldBe([1, 2]);
        turns.ShouldAllBe(t => t.ParentSpanId == root.SpanId && t.TraceId == root.TraceId);
        var models = spans.Where(s => s.DisplayName == "chat emulated-model").ToList();
        models.Select(m => m.ParentSpanId).ShouldBe(turns.Select(t => t.SpanId));
        models[0].GetTagItem("gen_ai.usage.input_tokens").ShouldBe(200L);
        models[1].GetTagItem("gen_ai.usage.output_tokens").ShouldBe(10L);
        var tool = spans.Where(s => s.DisplayName == "execute_tool slack.read_channel").ShouldHaveSingleItem();
        tool.ParentSpanId.ShouldBe(turns[0].SpanId);
        tool.GetTagItem("gen_ai.tool.call.id").ShouldBe("call_1_0", "the host's id of the call, not the model's");
        tool.GetTagItem("agenthost.decision").ShouldBe("allow");
        tool.GetTagItem("agenthost.outcome").ShouldBe("executed");
        tool.GetTagItem("agenthost.rules").ShouldBe("slack-read-granted-channels");
        spans.ShouldAllBe(s => (string?)s.GetTagItem(AgentHostTelemetry.RunIdTag) == runId);
    }

    [Fact]
    public async Task ExecutorLogs_CarryTheRunIdInTheirScope()
    {
        var agent = await RunsApi.CreateAgentAsync(_host);
        _model.Enqueue(new ModelReply.Text("Nothing to do."));

        var runId = (await RunsApi.RunToEndAsync(_host, agent, "Anything?")).GetProperty("id").GetString()!;
        await SpansOfAsync(runId, expectedTurns: 1);

        var ended = _logs.Snapshot().First(l => l.Message.StartsWith($"Run {runId} ended", StringComparison.Ordinal));

        ended.Scope["RunId"].ShouldBe(runId);
        ended.Scope["AgentId"].ShouldBe(agent);
    }

    /// <summary>The run's spans once its root has been exported: the run ends in the store a moment before.</summary>
    private Task<List<Activity>> SpansOfAsync(string runId, int expectedTurns) => Eventually.ReturnsAsync(
        () => _spans.Snapshot().Where(s => (string?)s.GetTagItem(AgentHostTelemetry.RunIdTag) == runId).ToList(),
        mine => mine.Any(s => s.DisplayName == "agenthost.run") && mine.Count(s => s.DisplayName == "agenthost.turn") == expectedTurns,
        $"the spans of run {runId} are exported (its root and {expectedTurns} turns)");

    private sealed record ExportedLog(string Message, Dictionary<string, object?> Scope)
    {
        public static ExportedLog From(LogRecord record)
        {
            var scope = new Dictionary<string, object?>(StringComparer.Ordinal);
            record.ForEachScope((s, state) =>
            {
                foreach (var item in s)
                {
                    state[item.Key] = item.Value;
                }
            }, scope);
            return new ExportedLog(record.FormattedMessage ?? string.Empty, scope);
        }
    }

    private sealed class TracedHost(ModelEmulator model, IToolExecutor tools, Captured<Activity, Activity> spans, Captured<LogRecord, ExportedLog> logs) : AgentHostFactory(new Dictionary<string, string?>
    {
        ["Model:Endpoint"] = model.Endpoint.ToString(),
        ["Model:ApiKey"] = model.ApiKey,
        ["Model:Name"] = "emulated-model",
    })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddOpenTelemetry(options => options.AddInMemoryExporter(logs)));
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton(tools);
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
            });
        }
    }
}
