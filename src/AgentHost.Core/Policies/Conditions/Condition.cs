using AgentHost.Core.Tools;

namespace AgentHost.Core.Policies.Conditions;

/// <summary>One compiled "when" clause of a rule. Evaluation reads the request only: no I/O, no parsing.</summary>
internal abstract class Condition
{
    public abstract bool Holds(PolicyRequest request, ToolDescriptor tool, IEmployeeFacts facts);
}
