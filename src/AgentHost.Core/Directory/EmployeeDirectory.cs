using System.Collections.Frozen;

namespace AgentHost.Core.Directory;

/// <summary>Who is who: employees by email and by Slack user id, and the members of each group.</summary>
public sealed class EmployeeDirectory : Policies.IEmployeeFacts
{
    private readonly FrozenDictionary<string, Employee> _byEmail;
    private readonly FrozenDictionary<string, Employee> _bySlackId;
    private readonly FrozenDictionary<string, IReadOnlyList<Employee>> _groups;

    public EmployeeDirectory(IEnumerable<Employee> employees)
    {
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

    public bool HasRole(string email, string role) => FindByEmail(email)?.HasRole(role) ?? false;
}
