using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;
using AgentHost.Tests.Emulators;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

/// <summary>
/// A call's outcome is committed with the audit writer's next group commit, not awaited after the effect
/// (RunState.Defer). What must still hold: nothing further is executed, parked or ended on top of an
/// outcome that did not become durable.
/// </summary>
public sealed class DeferredOutcomeTests : RunHostTest
{
    [Fact]
    public async Task TheFirstOutcomeFailsToCommit_TheSecondCallOfTheReplyNeverExecutes()
    {
        using var host = new FailingOutcomeHost(Model, Tools);
        var agentId = await RunsApi.CreateAgentAsync(host);
        Model.Enqueue(new ModelReply.ToolCalls(
        [
            new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}", "call_first"),
            new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}", "call_second"),
        ]));

        var started = await host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input = "Read #ops twice" });
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString()!;

        // The run's job ends on the audit failure (Hangfire does not retry runs).
        var monitoring = host.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Eventually.TrueAsync(() => monitoring.FailedCount() >= 1, "the run's job failing on the lost outcome");

        host.FailedOutcomes.ShouldBe(1);
        Tools.Calls.ShouldHaveSingleItem().Function.ShouldBe("slack.read_channel");

        // The second call's decision may share the commit the first outcome was queued for; its effect never follows.
        // Neither call has an outcome in the store: recovery closes both as outcome_unknown, for a person to check.
        var records = await host.Services.GetRequiredService<RunStore>().ToolCallsAsync(runId, CancellationToken.None);
        records.Select(c => c.Outcome).ToArray().ShouldBe(new[] { ToolCallOutcome.Requested, ToolCallOutcome.Requested });
        var types = await RunsApi.AuditTypesAsync(host, runId);
        types.ShouldNotContain(AuditEventTypes.ActionExecuted);
        types.ShouldNotContain(AuditEventTypes.RunSucceeded);
    }

    [Fact]
    public async Task TheLastOutcomeOfARun_IsDurableBeforeItsEnding()
    {
        var agentId = await RunsApi.CreateAgentAsync(Host);
        Model.Enqueue(
            new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}", "call_read")]),
            new ModelReply.Text("Read it."));

        var run = await RunsApi.RunToEndAsync(Host, agentId, "What is new in #ops?");

        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        var types = await RunsApi.AuditTypesAsync(Host, run.GetProperty("id").GetString()!);
        types.IndexOf(AuditEventTypes.ActionExecuted).ShouldBeGreaterThan(types.IndexOf(AuditEventTypes.ActionRequested));
        types.IndexOf(AuditEventTypes.ActionExecuted).ShouldBeLessThan(types.LastIndexOf(AuditEventTypes.ModelCalled), "the outcome committed before the next turn's record");
        types[^1].ShouldBe(AuditEventTypes.RunSucceeded);
        types.ShouldNotContain(AuditEventTypes.ActionOutcomeUnknown);
        var records = await Host.Services.GetRequiredService<RunStore>().ToolCallsAsync(run.GetProperty("id").GetString()!, CancellationToken.None);
        records.ShouldHaveSingleItem().Outcome.ShouldBe(ToolCallOutcome.Executed);
    }

    /// <summary>The audit writer fails the commit that carries the first action.executed (a full disk, a lost connection).</summary>
    private sealed class FailingOutcomeHost(ModelEmulator model, RecordingToolExecutor tools) : RunHostFactory(model, tools)
    {
        private int _failed;

        public int FailedOutcomes => _failed;

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IAuditLog>(sp => new FailingOutcomes(sp.GetRequiredService<AuditLogWriter>(), this)));
        }

        private sealed class FailingOutcomes(IAuditLog inner, FailingOutcomeHost host) : IAuditLog
        {
            public Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken cancellationToken) => inner.AppendAsync(entry, cancellationToken);

            public Task<IReadOnlyList<AuditEvent>> AppendAsync(IReadOnlyList<AuditEntry> entries, StoreWrite? companion, CancellationToken cancellationToken) =>
                entries.Any(e => e.Type == AuditEventTypes.ActionExecuted) && Interlocked.Exchange(ref host._failed, 1) == 0
                    ? Task.FromException<IReadOnlyList<AuditEvent>>(new AuditWriteException("the audit event could not be made durable", new IOException("disk full")))
                    : inner.AppendAsync(entries, companion, cancellationToken);
        }
    }
}
