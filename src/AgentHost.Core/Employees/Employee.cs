namespace AgentHost.Core.Employees;

/// <summary>A person the platform knows: who they are in Slack, who manages them, what they may do.</summary>
public sealed record Employee(
    string Email,
    string Name,
    string? SlackUserId,
    string? Manager,
    IReadOnlySet<string> Roles,
    IReadOnlySet<string> Groups)
{
    /// <summary>The employee's GitHub login, to ask GitHub what they may do on a repository; null if they have none.</summary>
    public string? GitHubLogin { get; init; }

    public bool HasRole(string role) => Roles.Contains(role);

    public bool IsInGroup(string group) => Groups.Contains(group);
}
