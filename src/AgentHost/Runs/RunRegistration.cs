using AgentHost.Core.Gate;
using AgentHost.Core.Runs;
using AgentHost.Core.Tools;
using AgentHost.Hosting;
using AgentHost.Tools;
using Hangfire;
using Microsoft.Extensions.Options;

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
        builder.AddSecretSettings("Model:ApiKey");
        builder.Services.AddOptions<LimitsOptions>()
            .Bind(builder.Configuration.GetSection(LimitsOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<AgentRateLimits>();
        builder.Services.AddHttpClient("model", client => client.Timeout = TimeSpan.FromSeconds(120));
        builder.Services.AddSingleton(sp => new RunStore(
            sp.GetRequiredService<AgentHost.Core.Storage.StoreDatabase>(),
            sp.GetRequiredService<TimeProvider>(),
            RunLease.ForThisProcess(TimeSpan.FromSeconds(builder.Configuration.GetValue("Runs:LeaseSeconds", 60)))));
        builder.Services.AddSingleton<InterruptedRuns>();
        builder.Services.AddSingleton<AgentHost.Core.Notifications.NotificationStore>();
        builder.Services.AddSingleton<RunEvents>();

        // Runs come after approvals: a settled approval resumes the run that parked on it.
        builder.Services.AddSingleton<AgentHost.Approvals.IApprovalObserver, ParkedRunResumer>();
        builder.Services.AddSingleton<ToolGate>();
        builder.Services.AddSingleton<ToolExecutors>();
        builder.Services.AddSingleton<AgentKernelFactory>();
        builder.Services.AddSingleton<RunExecutor>();
        builder.Services.AddSingleton<RunCallEndings>();
        builder.Services.AddSingleton<RunEndings>();
        builder.Services.AddSingleton<RunStopper>();
        builder.Services.AddSingleton<RunListing>();
        builder.Services.AddSingleton<CallExecution>();
        builder.Services.AddSingleton<CallDecision>();
        builder.Services.AddSingleton<DryRunCalls>();
        builder.Services.AddSingleton<ApprovalParking>();
        builder.Services.AddSingleton<ApprovalSettlement>();
        builder.Services.AddSingleton<ApprovalResumption>();
        builder.Services.AddSingleton<TurnLoop>();
        builder.Services.AddSingleton<RunOpening>();
        builder.Services.AddSingleton<ToolCallHandler>();
        builder.Services.AddSingleton<RunStarter>();
        builder.Services.AddTransient<RunJob>();
        builder.Services.AddSingleton<RunDispatcher>();
        builder.Services.AddTransient<ScheduleJob>();
        builder.Services.AddTransient<AgentHost.Agents.IAgentScheduleTrigger>(services => services.GetRequiredService<ScheduleJob>());

        builder.Services.AddSingleton(JobStorageFor(builder));
        builder.Services.AddHangfire((services, hangfire) => hangfire
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HangfireLogProvider(services.GetRequiredService<ILoggerFactory>())));
        if (builder.RunsWorkers())
        {
            builder.Services.AddHangfireServer((services, server) =>
            {
                // Not cores x 4: a run waiting on its model holds its worker, so that would let 8 agents think at once on 2 cores.
                server.WorkerCount = services.GetRequiredService<IOptions<LimitsOptions>>().Value.RunsPerProcess;

                // This host's container builds the jobs, never the process-wide JobActivator.Current.
                server.Activator = new Hangfire.AspNetCore.AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>());
            });
            builder.Services.AddHostedService<RunReconciliation>();
            builder.Services.AddHostedService<RunLeaseKeeper>();
        }

        return builder;
    }

    /// <summary>
    /// On SQLite, in-memory job storage: the store is the truth, and RunReconciliation re-queues from it.
    /// It is this host's own instance, not Hangfire's process-wide JobStorage.Current, so two hosts in
    /// one process (tests, a restart test) never execute each other's jobs; finished jobs are kept a
    /// minute, not hours, so 100,000 parked runs leave no 100,000 job records in memory. On PostgreSQL,
    /// Hangfire's tables in the same database, so web processes enqueue and any worker dequeues.
    /// </summary>
    private static JobStorage JobStorageFor(WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("AgentHost") ?? string.Empty;
        if (!AgentHost.Store.StoreRegistration.IsPostgres(connectionString))
        {
            if (builder.Role() != HostRole.All)
            {
                throw new InvalidOperationException("--role web and --role worker need PostgreSQL (ConnectionStrings:AgentHost=Host=...): on SQLite one process does both");
            }

            return new Hangfire.InMemory.InMemoryStorage(new Hangfire.InMemory.InMemoryStorageOptions { MaxExpirationTime = TimeSpan.FromMinutes(1) });
        }

        // Hangfire's schema is DDL too: the owner installs it when given (AgentHost.Store.StoreMigration);
        // a process without the owner credential that must not migrate leaves it alone.
        var migration = AgentHost.Store.StoreMigration.From(builder.Configuration);
        if (migration.OwnerConnectionString is { } owner)
        {
            using var connection = new Npgsql.NpgsqlConnection(owner);
            connection.Open();
            Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(connection, "hangfire");
        }

        // Long polling (LISTEN/NOTIFY) hands a job to an idle worker at once instead of at its next poll.
        var options = new Hangfire.PostgreSql.PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            PrepareSchemaIfNecessary = migration.OwnerConnectionString is null && migration.Migrates,
            EnableLongPolling = true,
            QueuePollInterval = TimeSpan.FromSeconds(5),
        };
        return new Hangfire.PostgreSql.PostgreSqlStorage(new Hangfire.PostgreSql.Factories.NpgsqlConnectionFactory(connectionString, options), options);
    }
}
