using AgentHost.Audit.Retention;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Redaction;
using AgentHost.Core.Storage;
using AgentHost.Hosting;
using AgentHost.Runs.Conversation;
using Microsoft.Extensions.Options;

namespace AgentHost.Audit;

public static class AuditRegistration
{
    public static WebApplicationBuilder AddAudit(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<AuditOptions>()
            .Bind(builder.Configuration.GetSection(AuditOptions.Section))
            .ValidateDataAnnotations()
            .Validate(
                options => System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options.Retention, new(options.Retention), null, validateAllProperties: true),
                "Audit:Retention: each kind's retention is between 1 day and 100 years, and SweepInterval between 1 minute and 7 days")
            .ValidateOnStart()
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                options.KeyPath = Path.Combine(environment.ContentRootPath, options.KeyPath);
                options.CheckpointFile = Path.Combine(environment.ContentRootPath, options.CheckpointFile);
            });
        // The values of the keys each feature registered as secret (AddSecretSettings), read when first needed.
        builder.Services.AddSingleton(sp =>
        {
            var configuration = sp.GetRequiredService<IConfiguration>();
            return new SecretRedactor(sp.GetServices<SecretSetting>().Select(setting => configuration[setting.Key]));
        });
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<AuditOptions>>().Value;
            return CheckpointSigner.LoadOrCreate(options.KeyPath, options.Origin);
        });
        builder.Services.AddSingleton(sp => new AuditLogWriter(
            sp.GetRequiredService<StoreDatabase>(),
            sp.GetRequiredService<IOptions<AuditOptions>>().Value,
            sp.GetRequiredService<SecretRedactor>(),
            sp.GetRequiredService<CheckpointSigner>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AuditLogWriter>>()));
        builder.Services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<AuditLogWriter>());
        builder.Services.AddSingleton<AuditReader>();
        builder.Services.AddSingleton<AuditProofs>();
        builder.Services.AddSingleton<AuditVerification>();
        builder.Services.AddSingleton<AuditContentStore>();
        builder.Services.AddSingleton<ConversationContent>();
        builder.Services.AddSingleton<ConversationReader>();
        builder.Services.AddSingleton<LegalHoldStore>();
        builder.Services.AddSingleton<ContentRetention>();
        builder.Services.AddSingleton<ContentRetentionService>();
        if (builder.RunsWorkers())
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ContentRetentionService>());
        }
        builder.Services.AddSingleton(sp => new AuditWriterService(sp.GetRequiredService<AuditLogWriter>(), sp.GetRequiredService<StoreDatabase>() switch
        {
            SqliteDatabase sqlite => new AuditSearchIndexer(sqlite, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AuditSearchIndexer>>()),
            PostgresDatabase postgres => new PostgresAuditSearchIndexer(postgres, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresAuditSearchIndexer>>()),
            _ => (IAuditSearchIndexer?)null,
        }));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditWriterService>());
        return builder;
    }
}
