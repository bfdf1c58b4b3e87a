using AgentHost.Core.Gate;
using AgentHost.Core.Tools;
using Microsoft.SemanticKernel;

namespace AgentHost.Runs;

/// <summary>
/// The second lock on the door: whatever path reaches a function (auto-invocation switched on by
/// mistake, a prompt template, a future feature), it runs only with the ticket the gate issued for that
/// exact call. The filter recomputes the canonical arguments of the invocation it actually sees, so a
/// call whose arguments were swapped after the decision is refused, not executed.
/// </summary>
public sealed class GateEnforcementFilter : IFunctionInvocationFilter
{
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var name = ToolDescriptor.NameOfKernel(context.Function.PluginName, context.Function.Name);
        var refusal = GateTicket.Current switch
        {
            null => "without passing the gate",
            { } t when t.Function != name => $"with a ticket for {t.Function}",
            { } t when Hash(name, context.Arguments) is not { } hash || hash != t.ArgumentsSha256 => "with arguments other than the gate decided",
            { } t when !t.TryRedeem() => "a second time on one decision",
            _ => null,
        };
        if (refusal is not null)
        {
            throw new InvalidOperationException($"{name} was invoked {refusal}; refused");
        }

        await next(context);
    }

    // Canonical form without normalising again: the invocation must carry the normalised values already.
    private static string? Hash(string function, KernelArguments arguments) =>
        ToolArguments.Canonical(arguments) is { } values ? CanonicalCall.Of(function, values).ArgumentsSha256 : null;
}
