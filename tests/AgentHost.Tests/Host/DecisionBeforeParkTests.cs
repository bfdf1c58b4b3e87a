using System.Net;
using System.Net.Http.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;
using AgentHost.Runs;
using AgentHost.Tests.Emulators;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

/// <summary>
/// An approver can decide between the approval being created and the run parking (the approval is
/// listed as pending from its creation). Under CPU load that window is wide: the crash harness and the
/// multi-process test approve whatever is pending as fast as they can, and once saw 8 runs never end.
/// </summary>
public sealed class DecisionBeforeParkTests : RunHostTest
{
    [Fact]
    public async Task ApprovedBeforeTheRunParked_TheRunStillResumes_AndExecutesOnce()
    {
        using var host = new DecidingFirstHost(Model, Tools);
        var agentId = await RunsApi.CreateAgentAsync(host);
        Model.Enqueue(new ModelReply.ToolCalls([new ToolCall("email-send", RunsApi.ExternalMail, "call_mail")]), new ModelReply.Text("Sent."));

        var started = await host.CreateClientAs("alice@example.com").PostAsJsonAsync($"/api/agents/{agentId}/runs", new { input = "Mail the partner our status" });
        var run = await RunsApi.WaitForAsync(host, (await started.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("runId").GetString()!);

        host.Decided.ShouldBe(HttpStatusCode.OK);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        Tools.Calls.ShouldHaveSingleItem().Function.ShouldBe("email.send");
    }

    /// <summary>
    /// When the executor writes approval.requested (after creating the approval, before parking), bob
    /// approves, and the resumption runs at once, ahead of the park: the interleaving load produces.
    /// </summary>
    private sealed class DecidingFirstHost(ModelEmulator model, RecordingToolExecutor tools) : RunHostFactory(model, tools)
    {
        public HttpStatusCode? Decided { get; private set; }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<IAuditLog>(sp => new Interceptor(sp.GetRequiredService<AuditLogWriter>(), async entry =>
            {
                if (entry.Type != AuditEventTypes.ApprovalRequested || Decided is not null)
                {
                    return;
                }

                var approvalId = entry.Data!["approvalId"]!.GetValue<string>();
                Decided = (await CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" })).StatusCode;
                await sp.GetRequiredService<RunExecutor>().ResumeAsync(approvalId, CancellationToken.None);
            })));
        }
    }

    private sealed class Interceptor(IAuditLog inner, Func<AuditEntry, Task> after) : IAuditLog
    {
        public async Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
        {
            var appended = await inner.AppendAsync(entry, cancellationToken);
            await after(entry);
            return appended;
        }

        public Task<IReadOnlyList<AuditEvent>> AppendAsync(IReadOnlyList<AuditEntry> entries, StoreWrite? companion, CancellationToken cancellationToken) =>
            inner.AppendAsync(entries, companion, cancellationToken);
    }
}
