using AgentHost.Core.Tools;
using Microsoft.SemanticKernel;

namespace AgentHost.Tools;

/// <summary>
/// Carries out a plugin class's [KernelFunction] methods after the gate allowed the call: each argument
/// is the invocation's value (the gated, normalised call) read as the parameter's shape, and the
/// invocation itself is the one kernel service the method may ask for (run and call ids).
/// </summary>
public sealed class KernelToolExecutor : IToolExecutor
{
    private readonly Dictionary<string, (PluginFunction Declared, KernelFunction Function)> _functions;

    public KernelToolExecutor(object plugin, IEnumerable<PluginFunction> functions)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(functions);
        _functions = functions.ToDictionary(
            f => f.Tool.Name,
            f => (f, KernelFunctionFactory.CreateFromMethod(f.Method, plugin, f.Tool.KernelFunction)),
            StringComparer.Ordinal);
        Functions = [.. _functions.Keys];
    }

    public IReadOnlyCollection<string> Functions { get; }

    /// <summary>The executor of one plugin instance, read from its class (tests and the host use the same path).</summary>
    public static KernelToolExecutor For<TTools>(TTools plugin, ToolPluginDescriptor descriptor)
        where TTools : class => new(plugin, PluginFunctions.Describe(typeof(TTools), descriptor));

    public async Task<ToolResult> ExecuteAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (!_functions.TryGetValue(invocation.Function, out var entry))
        {
            return new ToolResult(false, $"{invocation.Function} is not a function of this plugin");
        }

        var call = invocation with { Tool = entry.Declared.Tool };
        var arguments = new KernelArguments();
        try
        {
            foreach (var parameter in entry.Declared.Parameters)
            {
                object? value = parameter.IsList ? (call.Arguments.ContainsKey(parameter.Name) ? call.List(parameter.Name).ToArray() : null)
                    : parameter.IsObject ? call.JsonText(parameter.Name)
                    : call.OptionalText(parameter.Name);
                if (value is not null)
                {
                    arguments[parameter.Parameter.Name!] = value;
                }
            }
        }
        catch (ArgumentException ex)
        {
            return new ToolResult(false, ex.Message);
        }

        var services = new ServiceCollection().AddSingleton(call).BuildServiceProvider();
        await using (services)
        {
            var answer = await entry.Function.InvokeAsync(new Kernel(services), arguments, cancellationToken);
            var result = answer.GetValue<ToolResult>() ?? throw new InvalidOperationException($"{invocation.Function} returned no result");

            // A tool declared to return others' content is untrusted whatever the method said.
            return entry.Declared.Tool.UntrustedResult && result.Succeeded && !result.Untrusted ? result with { Untrusted = true } : result;
        }
    }
}
