using AgentHost.Core.Tools;

namespace AgentHost.Core.Policies.Conditions;

/// <summary>Holds when one of the named arguments (or, with none named, one of the tool's sinks) is tainted.</summary>
internal sealed class TaintedCondition(string[]? arguments) : Condition
{
    public override bool Holds(PolicyRequest request, ToolDescriptor tool, IEmployeeFacts facts)
    {
        var tainted = request.TaintedArguments;
        if (tainted.Count == 0)
        {
            return false;
        }

        if (arguments is null)
        {
            for (var i = 0; i < tool.Sinks.Count; i++)
            {
                if (tainted.Contains(tool.Sinks[i]))
                {
                    return true;
                }
            }

            return false;
        }

        foreach (var argument in arguments)
        {
            if (tainted.Contains(argument))
            {
                return true;
            }
        }

        return false;
    }
}
