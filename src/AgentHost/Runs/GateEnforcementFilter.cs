using Microsoft.SemanticKernel;

namespace AgentHost.Runs;

/// <summary>
/// The second lock on the door: whatever path reaches a function (auto-invocation switched on by
/// mistake, a prompt template, a future feature), it runs only with a ticket the gate issued for it.
/// </summary>
public sealed class GateEnforcementFilter : IFunctionInvocationFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var name = $"{context.Function.PluginName}.{context.Function.Name}";
        if (GateTicket.Current is not { } ticket || ticket.Function != name)
        {
            throw new InvalidOperationException($"{name} was invoked without passing the gate; refused");
        }

        await next(context);
    }
}
