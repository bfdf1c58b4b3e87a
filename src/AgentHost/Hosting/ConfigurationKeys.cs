namespace AgentHost.Hosting;

/// <summary>
/// Every configuration key the host reads: the options classes by section (their properties, nested
/// classes as sub-sections), and the keys read one by one. docker-compose.yml may pass only these
/// (a test maps its `A__B` variables onto them), so a misspelt variable fails the build, not a deployment.
/// </summary>
public static class ConfigurationKeys
{
    public static IReadOnlyList<(string Section, Type Options)> Sections { get; } =
    [
        (AgentHost.Plugins.Slack.SlackOptions.Section, typeof(AgentHost.Plugins.Slack.SlackOptions)),
        (AgentHost.Plugins.Email.EmailOptions.Section, typeof(AgentHost.Plugins.Email.EmailOptions)),
        (AgentHost.Plugins.Deploy.DeployOptions.Section, typeof(AgentHost.Plugins.Deploy.DeployOptions)),
        (AgentHost.Runs.ModelOptions.Section, typeof(AgentHost.Runs.ModelOptions)),
        (AgentHost.Runs.LimitsOptions.Section, typeof(AgentHost.Runs.LimitsOptions)),
        (AgentHost.Auth.AuthOptions.Section, typeof(AgentHost.Auth.AuthOptions)),
        (AgentHost.Core.Audit.AuditOptions.Section, typeof(AgentHost.Core.Audit.AuditOptions)),
        (AgentHost.Telemetry.TelemetryOptions.Section, typeof(AgentHost.Telemetry.TelemetryOptions)),
        (AgentHost.Usage.UsageOptions.Section, typeof(AgentHost.Usage.UsageOptions)),
        (AgentHost.Employees.DirectoryOptions.Section, typeof(AgentHost.Employees.DirectoryOptions)),
        (AgentHost.Policies.PoliciesOptions.Section, typeof(AgentHost.Policies.PoliciesOptions)),
        (ProxyOptions.Section, typeof(ProxyOptions)),
        (AgentHost.Audit.Siem.SiemStreamOptions.Section, typeof(AgentHost.Audit.Siem.SiemStreamOptions)),
    ];

    public static IReadOnlyList<string> Keys { get; } =
    [
        "ConnectionStrings:AgentHost",
        "ConnectionStrings:AgentHostOwner",
        "Store:Migrate",
        "Store:AppRole",
        "Email:InternalDomains",
        "Runs:LeaseSeconds",
        "InboundEvents:RetentionHours",
        "Role",
        "Urls",
    ];

    /// <summary>True for the first segment of a key the host reads (Slack, ConnectionStrings, ...).</summary>
    public static bool IsSection(string name) =>
        Sections.Any(s => string.Equals(s.Section, name, StringComparison.OrdinalIgnoreCase))
        || Keys.Any(k => k.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
}
