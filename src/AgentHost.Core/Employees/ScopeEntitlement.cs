namespace AgentHost.Core.Employees;

/// <summary>
/// What the members of one directory group may use themselves where no outside service can say: folders of
/// the shared host mailbox and outside mail domains. Slack channels and GitHub repositories listed here count
/// only while that plugin is not configured (development, a host without the integration); a configured
/// Slack or GitHub is asked instead, so the live membership is the one authority.
/// </summary>
public sealed record ScopeEntitlement(
    IReadOnlyList<string> MailFolders,
    IReadOnlyList<string> RecipientDomains,
    IReadOnlyList<string> SlackChannels,
    IReadOnlyList<string> GitHubRepos)
{
    public static ScopeEntitlement None { get; } = new([], [], [], []);
}
