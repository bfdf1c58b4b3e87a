using AgentHost.Core.Policies;

namespace AgentHost.Tests.Policies;

/// <summary>Employee facts for tests: a fixed table, not the directory, so each test states what it relies on.</summary>
public sealed class PolicyFacts(Dictionary<string, string[]>? groups = null, Dictionary<string, string[]>? roles = null) : IEmployeeFacts
{
    public bool IsInGroup(string email, string group) => groups?.GetValueOrDefault(email)?.Contains(group) ?? false;

    public bool HasRole(string email, string role) => roles?.GetValueOrDefault(email)?.Contains(role) ?? false;
}
