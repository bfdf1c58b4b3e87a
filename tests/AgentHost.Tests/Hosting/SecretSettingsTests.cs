using AgentHost.Core.Redaction;
using AgentHost.Hosting;
using AgentHost.Tests.Host;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Hosting;

/// <summary>Each feature names its own secret keys; the one redactor masks the values of all of them.</summary>
public sealed class SecretSettingsTests
{
    private static readonly Dictionary<string, string?> Secrets = new(StringComparer.Ordinal)
    {
        ["Slack:BotToken"] = "slack-bot-value-4711",
        ["Slack:SigningSecret"] = "slack-signing-value-4711",
        ["Model:ApiKey"] = "model-key-value-4711",
        ["GitHub:Token"] = "github-token-value-4711",
        ["Email:Imap:Password"] = "imap-password-value-4711",
        ["Email:Smtp:Password"] = "smtp-password-value-4711",
        ["Auth:OpenIdConnect:ClientSecret"] = "oidc-secret-value-4711",
    };

    [Fact]
    public void EveryFeaturesSecretKey_IsRegistered_AndItsValueRedacted()
    {
        using var host = new AgentHostFactory(new Dictionary<string, string?>(Secrets) { ["Slack:ApprovalChannel"] = "C0APPROVALS" });

        var registered = host.Services.GetServices<SecretSetting>().Select(s => s.Key).ToList();
        var redactor = host.Services.GetRequiredService<SecretRedactor>();

        registered.ShouldBe(Secrets.Keys, ignoreOrder: true);
        foreach (var value in Secrets.Values)
        {
            redactor.Redact($"before {value} after").ShouldBe($"before {SecretRedactor.Mask} after");
        }
    }
}
