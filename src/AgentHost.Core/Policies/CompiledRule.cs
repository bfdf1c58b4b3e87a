using AgentHost.Core.Policies.Conditions;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Policies;

/// <summary>A rule ready to evaluate, with the decision it makes on its own built in advance.</summary>
internal sealed class CompiledRule(string id, int ordinal, PolicyOutcome outcome, ApprovalRequirement? approval, Condition[] conditions, PolicyRuleInfo info)
{
    public string Id { get; } = id;

    public int Ordinal { get; } = ordinal;

    public PolicyOutcome Outcome { get; } = outcome;

    public ApprovalRequirement? Approval { get; } = approval;

    public Condition[] Conditions { get; } = conditions;

    public PolicyRuleInfo Info { get; } = info;

    public PolicyDecision Decision { get; set; } = null!;

    public bool Matches(PolicyRequest request, ToolDescriptor tool, IEmployeeFacts facts)
    {
        foreach (var condition in Conditions)
        {
            if (!condition.Holds(request, tool, facts))
            {
                return false;
            }
        }

        return true;
    }
}
