using System.ComponentModel;
using System.Reflection;
using AgentHost.Core.Tools;
using Microsoft.SemanticKernel;

namespace AgentHost.Tools;

/// <summary>One [KernelFunction] method of a plugin class, with the catalog entry the gate decides on.</summary>
public sealed record PluginFunction(ToolDescriptor Tool, MethodInfo Method, IReadOnlyList<PluginParameter> Parameters);

/// <summary>A model-facing parameter: its catalog name, the method's parameter, and its shape.</summary>
public sealed record PluginParameter(string Name, ParameterInfo Parameter, bool IsList, bool IsObject);

/// <summary>
/// Reads a plugin class: each public [KernelFunction] method with its [ToolGate], each parameter with its
/// [Description] and [GateArgument]. What the class declares is the whole of what the catalog knows of
/// the plugin's tools; a function the gate knows nothing of is a start-up error, not an open door.
/// </summary>
public static class PluginFunctions
{
    public static IReadOnlyList<PluginFunction> Describe(Type type, ToolPluginDescriptor plugin)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(plugin);
        if (plugin.Scopes.FirstOrDefault(s => s.Plugin != plugin.Name) is { } foreign)
        {
            throw new InvalidOperationException($"plugin {plugin.Name} declares the scope {foreign.Key} of plugin {foreign.Plugin}");
        }

        var functions = type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.GetCustomAttribute<KernelFunctionAttribute>() is not null)
            .Select(m => Function(type, plugin, m))
            .ToList();
        return functions.Count > 0 ? functions : throw new InvalidOperationException($"{type.Name} declares no [KernelFunction] method");
    }

    private static PluginFunction Function(Type type, ToolPluginDescriptor plugin, MethodInfo method)
    {
        var where = $"{type.Name}.{method.Name}";
        var name = method.GetCustomAttribute<KernelFunctionAttribute>()!.Name
            ?? throw new InvalidOperationException($"{where}: [KernelFunction] must name the function (post_message)");
        var gate = method.GetCustomAttribute<ToolGateAttribute>()
            ?? throw new InvalidOperationException($"{where}: a kernel function without [ToolGate]: the gate must know every tool's effect and reach");
        if (method.ReturnType != typeof(Task<ToolResult>))
        {
            throw new InvalidOperationException($"{where}: must return Task<ToolResult>");
        }

        var parameters = method.GetParameters().Where(IsModelFacing).Select(p => Parameter(where, p)).ToList();
        var names = parameters.Select(p => p.Name).ToList();
        var gates = parameters.Select(p => (p.Name, Gate: p.Parameter.GetCustomAttribute<GateArgumentAttribute>())).ToList();
        var tool = new ToolDescriptor(
            $"{plugin.Name}.{name}",
            gate.Effect,
            gate.Reach,
            names,
            [.. gates.Where(g => g.Gate?.Sink == true).Select(g => g.Name)],
            method.GetCustomAttribute<DescriptionAttribute>()?.Description ?? string.Empty,
            gates.Where(g => g.Gate is not null && g.Gate.Kind != ArgumentKind.Text).ToDictionary(g => g.Name, g => g.Gate!.Kind, StringComparer.Ordinal))
        {
            ListArguments = parameters.Where(p => p.IsList).Select(p => p.Name).ToHashSet(StringComparer.Ordinal),
            ObjectArguments = parameters.Where(p => p.IsObject).Select(p => p.Name).ToHashSet(StringComparer.Ordinal),
            ArgumentDescriptions = parameters.ToDictionary(p => p.Name, p => p.Parameter.GetCustomAttribute<DescriptionAttribute>()?.Description ?? string.Empty, StringComparer.Ordinal),
            UntrustedResult = gate.UntrustedResult,
        };
        return new PluginFunction(tool, method, parameters);
    }

    // The invocation and the cancellation token come from the host, never from the model.
    private static bool IsModelFacing(ParameterInfo parameter) =>
        parameter.ParameterType != typeof(CancellationToken) && parameter.GetCustomAttribute<FromKernelServicesAttribute>() is null;

    private static PluginParameter Parameter(string where, ParameterInfo parameter)
    {
        var gate = parameter.GetCustomAttribute<GateArgumentAttribute>();
        var name = gate?.Name ?? parameter.Name!;
        var isList = parameter.ParameterType == typeof(string[]);
        if (!isList && parameter.ParameterType != typeof(string))
        {
            throw new InvalidOperationException($"{where}: parameter {name} must be string or string[] (the gate reads text and lists of text)");
        }

        if (!parameter.HasDefaultValue)
        {
            // Missing arguments reach the method as null, so its own check names them ("channel: required").
            throw new InvalidOperationException($"{where}: parameter {name} needs a default (null): the method checks what is required");
        }

        return new PluginParameter(name, parameter, isList, gate?.JsonObject == true);
    }
}
