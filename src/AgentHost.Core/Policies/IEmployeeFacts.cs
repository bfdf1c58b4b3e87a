namespace AgentHost.Core.Policies;

/// <summary>What rules may ask about people. The directory answers it; policy tests give their own answers.</summary>
public interface IEmployeeFacts
{
    bool IsInGroup(string email, string group);

    bool HasRole(string email, string role);
}
