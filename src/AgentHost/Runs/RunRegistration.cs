using AgentHost.Core.Gate;
using AgentHost.Core.Runs;
using AgentHost.Core.Tools;
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
        builder.Services.AddSingleton<AgentHost.Core.Notifications.NotificationStore>();
        builder.Services.AddSingleton<AgentHost.Core.Approvals.ApprovalStore>();
        builder.Services.AddSingleton<AgentHost.Approvals.ApprovalDecider>();
        builder.Services.AddSingleton<ApprovalExpiry>();
        builder.Services.AddHostedService<ApprovalExpirySweeper>();
        builder.Services.AddSingleton<ToolGate>();
        builder.Services.AddSingleton<ToolExecutors>();
        builder.Services.AddSingleton<AgentKernelFactory>();
        builder.Services.AddSingleton<RunExecutor>();
        builder.Services.AddTransient<RunJob>();
        builder.Services.AddSingleton<RunDispatcher>();
        builder.Services.AddSingleton<AgentSchedules>();
        builder.Services.AddTransient<ScheduleJob>();

        // In-memory job storage is enough: the store is the truth, and RunReconciliation re-queues from it.
        // The storage is this host's own instance, not Hangfire's process-wide JobStorage.Current, so two
        // hosts in one process (tests, a restart test) never execute each other's jobs.
        // Finished jobs are kept a minute, not Hangfire's hours: the run's record is in the store, and
        // 100,000 parked runs must not leave 100,000 job records in memory.
        builder.Services.AddSingleton<JobStorage>(new Hangfire.InMemory.InMemoryStorage(new Hangfire.InMemory.InMemoryStorageOptions { MaxExpirationTime = TimeSpan.FromMinutes(1) }));
        builder.Services.AddHangfire((services, hangfire) => hangfire
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(services.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddHangfireServer((services, server) =>
        {
            server.WorkerCount = Math.Max(8, Environment.ProcessorCount * 4);

            // This host's container builds the jobs, never the process-wide JobActivator.Current.
            server.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>());
        });
        builder.Services.AddHostedService<RunReconciliation>();
        return builder;
    }
}
