using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;

namespace AgentHost.Approvals;

/// <summary>One required approver group and those of its members who may decide the approval now.</summary>
public sealed record GroupDeciders(ApprovalGroup Group, IReadOnlyList<Employee> People);
