using AgentHost.Core.Tools;

namespace AgentHost.Core.Policies.Conditions;

/// <summary>Conditions on the people involved: the agent's owner and the employee who asked.</summary>
internal sealed class EmployeeCondition(EmployeeCondition.Kind kind, string value) : Condition
{
    public enum Kind
    {
        OwnerIs,
        OwnerInGroup,
        OwnerHasRole,
        RequesterIsOwner,
        RequesterIsNotOwner,
    }

    public override bool Holds(PolicyRequest request, ToolDescriptor tool, IEmployeeFacts facts) => kind switch
    {
        Kind.OwnerIs => string.Equals(request.Agent.Owner, value, StringComparison.OrdinalIgnoreCase),
        Kind.OwnerInGroup => facts.IsInGroup(request.Agent.Owner, value),
        Kind.OwnerHasRole => facts.HasRole(request.Agent.Owner, value),
        Kind.RequesterIsOwner => string.Equals(request.Agent.Owner, request.Requester, StringComparison.OrdinalIgnoreCase),
        Kind.RequesterIsNotOwner => !string.Equals(request.Agent.Owner, request.Requester, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };
}
