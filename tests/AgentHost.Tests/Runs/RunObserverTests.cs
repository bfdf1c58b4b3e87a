using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using AgentHost.Approvals;
using AgentHost.Runs;
using AgentHost.Slack;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Runs;

/// <summary>
/// Runs and approvals tell observers, and know none of them: with Slack's observer taken out, a run
/// parks, is approved, resumes and ends, and a recording observer hears each step.
/// </summary>
public sealed class RunObserverTests : IAsyncLifetime
{
    private const string ExternalMail = "{\"to\":[\"ops@partner.test\"],\"subject\":\"status\",\"body\":\"all green\"}";
    private readonly RecordingToolExecutor _tools = new();
    private readonly RecordingObserver _observer = new();
    private ModelEmulator _model = null!;
    private ObservedHost _host = null!;

    public async Task InitializeAsync()
    {
        _model = await ModelEmulator.StartAsync();
        _host = new ObservedHost(_model, _tools, _observer);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task WithoutSlack_ARunParksResumesAndEnds_AndObserversHearEachStep()
    {
        var agentId = await RunsApi.CreateAgentAsync(_host);
        _model.Enqueue(new ModelReply.ToolCalls([new ToolCall("email-send", ExternalMail, "call_mail")]), new ModelReply.Text("Sent the status mail."));

        var parked = await RunsApi.RunToEndAsync(_host, agentId, "Mail the partner our status", until: "awaiting_approval");
        var runId = parked.GetProperty("id").GetString()!;

        // Observers hear each step after it is stored, so the API can show it first.
        await Eventually.TrueAsync(() => !_observer.Requested.IsEmpty, "the observer heard the approval requested");
        var approvalId = _observer.Requested.ShouldHaveSingleItem().ApprovalId;
        var decided = await _host.CreateClientAs("bob@example.com").PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { decision = "approve" });
        var run = await RunsApi.WaitForAsync(_host, runId);
        await Eventually.TrueAsync(() => !_observer.Changed.IsEmpty && !_observer.Ended.IsEmpty, "the observer heard the decision and the run end");

        _host.Services.GetServices<IRunObserver>().ShouldBe([_observer]);
        _host.Services.GetServices<IApprovalObserver>().ShouldNotContain(o => o is SlackNotifier);
        parked.GetProperty("status").GetString().ShouldBe("awaiting_approval", parked.ToString());
        decided.StatusCode.ShouldBe(HttpStatusCode.OK);
        run.GetProperty("status").GetString().ShouldBe("succeeded", run.ToString());
        _tools.Calls.ShouldHaveSingleItem().Function.ShouldBe("email.send");
        _observer.Requested.ShouldHaveSingleItem().ShouldBe(new ApprovalRequested(approvalId, runId, agentId));
        _observer.Changed.ShouldHaveSingleItem().ShouldBe(new ApprovalChanged(approvalId, runId, ApprovalChange.Decided));
        _observer.Ended.ShouldHaveSingleItem().RunId.ShouldBe(runId);
    }

    [Fact]
    public async Task AFailedModelEndpoint_FailsTheRun_WithTheEndpointsStatus()
    {
        var agentId = await RunsApi.CreateAgentAsync(_host);
        _model.Enqueue(new ModelReply.Failure(502));

        var run = await RunsApi.RunToEndAsync(_host, agentId, "How is the deploy?");
        await Eventually.TrueAsync(() => !_observer.Ended.IsEmpty, "the observer heard the run end");

        run.GetProperty("status").GetString().ShouldBe("failed", run.ToString());
        run.ToString().ShouldContain("the model endpoint failed: 502 BadGateway");
        _observer.Ended.ShouldHaveSingleItem().Reason.ShouldBe("the model endpoint failed: 502 BadGateway");
    }

    private sealed class RecordingObserver : IRunObserver, IApprovalObserver
    {
        public ConcurrentQueue<RunEnded> Ended { get; } = new();

        public ConcurrentQueue<ApprovalRequested> Requested { get; } = new();

        public ConcurrentQueue<ApprovalChanged> Changed { get; } = new();

        void IRunObserver.Ended(RunEnded ended) => Ended.Enqueue(ended);

        void IApprovalObserver.Requested(ApprovalRequested requested) => Requested.Enqueue(requested);

        void IApprovalObserver.Changed(ApprovalChanged changed) => Changed.Enqueue(changed);
    }

    /// <summary>The run host with Slack's observer registrations removed and the recorder in their place.</summary>
    private sealed class ObservedHost(ModelEmulator model, RecordingToolExecutor tools, RecordingObserver observer) : AgentHostFactory(new Dictionary<string, string?>
    {
        ["Model:Endpoint"] = model.Endpoint.ToString(),
        ["Model:ApiKey"] = model.ApiKey,
        ["Model:Name"] = "emulated-model",
    })
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<AgentHost.Core.Tools.IToolExecutor>(tools);
                foreach (var slack in services.Where(d => (d.ServiceType == typeof(IRunObserver) || d.ServiceType == typeof(IApprovalObserver)) && d.ImplementationType != typeof(ParkedRunResumer)).ToList())
                {
                    services.Remove(slack);
                }

                services.AddSingleton<IRunObserver>(observer);
                services.AddSingleton<IApprovalObserver>(observer);
            });
        }
    }
}
