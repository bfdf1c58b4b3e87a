using System.Collections.Frozen;

namespace AgentHost.Core.Employees;

/// <summary>Who is who: employees by email and by Slack user id, and the members of each group.</summary>
public sealed class EmployeeDirectory : Policies.IEmployeeFacts
{
    private readonly FrozenDictionary<string, Employee> _byEmail;
    private readonly FrozenDictionary<string, Employee> _bySlackId;
    private readonly FrozenDictionary<string, IReadOnlyList<Employee>> _groups;

    private readonly FrozenDictionary<string, ScopeEntitlement> _entitlements;

    public EmployeeDirectory(IEnumerable<Employee> employees, IReadOnlyDictionary<string, ScopeEntitlement>? entitlements = null)
    {
        _entitlements = (entitlements ?? new Dictionary<string, ScopeEntitlement>()).ToFrozenDictionary(StringComparer.Ordinal);
        ArgumentNullException.ThrowIfNull(employees);
        var list = employees.ToList();
        _byEmail = list.ToFrozenDictionary(e => e.Email, StringComparer.OrdinalIgnoreCase);
        _bySlackId = list.Where(e => e.SlackUserId is not null).ToFrozenDictionary(e => e.SlackUserId!, StringComparer.Ordinal);
        _groups = list
            .SelectMany(e => e.Groups.Select(g => (Group: g, Employee: e)))
            .GroupBy(x => x.Group, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<Employee>)g.Select(x => x.Employee).ToList(), StringComparer.Ordinal);
    }

    public IReadOnlyCollection<Employee> Employees => _byEmail.Values;

    public IReadOnlyCollection<string> Groups => _groups.Keys;

    public Employee? FindByEmail(string email) => _byEmail.GetValueOrDefault(email);

    public Employee? FindBySlackUserId(string slackUserId) => _bySlackId.GetValueOrDefault(slackUserId);

    public IReadOnlyList<Employee> MembersOf(string group) => _groups.GetValueOrDefault(group) ?? [];

    public IReadOnlyList<Employee> DirectReportsOf(string managerEmail) =>
        _byEmail.Values.Where(e => string.Equals(e.Manager, managerEmail, StringComparison.OrdinalIgnoreCase)).ToList();

    public bool IsInGroup(string email, string group) => FindByEmail(email)?.IsInGroup(group) ?? false;

    /// <summary>What an employee may use through their groups' entitlements (the union of them); nothing for a stranger.</summary>
    public ScopeEntitlement EntitlementOf(string email)
    {
        var grants = (FindByEmail(email)?.Groups ?? new HashSet<string>()).Select(g => _entitlements.GetValueOrDefault(g)).OfType<ScopeEntitlement>().ToList();
        return grants.Count == 0
            ? ScopeEntitlement.None
            : new ScopeEntitlement(
                grants.SelectMany(g => g.MailFolders).ToList(),
                grants.SelectMany(g => g.RecipientDomains).ToList(),
                grants.SelectMany(g => g.SlackChannels).ToList(),
                grants.SelectMany(g => g.GitHubRepos).ToList());
    }

    public bool HasRole(string email, string role) => FindByEmail(email)?.HasRole(role) ?? false;
}
