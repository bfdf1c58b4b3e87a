using AgentHost.Core.Gate;
using AgentHost.Core.Runs;
using AgentHost.Tools;
using Hangfire;

namespace AgentHost.Runs;

public static class RunRegistration
{
    public static WebApplicationBuilder AddRuns(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ModelOptions>()
            .Bind(builder.Configuration.GetSection(ModelOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient("model", client => client.Timeout = TimeSpan.FromSeconds(120));
        builder.Services.AddSingleton<RunStore>();
        builder.Services.AddSingleton<ToolGate>();
        builder.Services.AddSingleton<ToolExecutors>();
        builder.Services.AddSingleton<AgentKernelFactory>();
        builder.Services.AddSingleton<RunExecutor>();
        builder.Services.AddTransient<RunJob>();
        builder.Services.AddSingleton<RunDispatcher>();

        // In-memory job storage is enough: the store is the truth, and RunReconciliation re-queues from it.
        builder.Services.AddHangfire(hangfire => hangfire.UseInMemoryStorage());
        builder.Services.AddHangfireServer(server => server.WorkerCount = Math.Max(8, Environment.ProcessorCount * 4));
        builder.Services.AddHostedService<RunReconciliation>();
        return builder;
    }
}
