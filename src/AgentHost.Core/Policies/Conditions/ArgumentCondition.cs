using AgentHost.Core.Tools;

namespace AgentHost.Core.Policies.Conditions;

/// <summary>
/// A test on the values of one or more arguments (several arguments pool their values: [to, cc] is
/// every recipient). The positive form holds when there is a value and every value passes; the negated
/// form holds when some value fails. With no value at all, neither holds: presence is tested with
/// present/absent. So "[to, cc] domain_not_in internal" catches one outside recipient among many.
/// </summary>
internal sealed class ArgumentCondition(string[] arguments, ValueTest test, bool negated) : Condition
{
    public string[] Arguments { get; } = arguments;

    public ValueTest Test { get; } = test;

    public bool Negated { get; } = negated;

    public override bool Holds(PolicyRequest request, ToolDescriptor tool, IEmployeeFacts facts)
    {
        var any = false;
        foreach (var argument in Arguments)
        {
            if (!request.Arguments.TryGetValue(argument, out var value))
            {
                continue;
            }

            for (var i = 0; i < value.Count; i++)
            {
                any = true;
                if (!Test.Matches(value[i], request.Agent))
                {
                    return Negated;
                }
            }
        }

        return Test is PresentTest ? any != Negated : any && !Negated;
    }
}
