namespace AgentHost.Core.Tools;

/// <summary>
/// Declared metadata of one tool. Sinks are the arguments whose values decide where an effect lands
/// (a channel, a recipient, a ref): a tainted value in a sink is what prompt injection aims for.
/// <see cref="Kinds"/> says what each argument names (an environment, a ref, an address), which decides
/// how the gate normalises it and how policies compare it; an argument not listed is free text.
/// </summary>
public sealed record ToolDescriptor(
    string Name,
    ToolEffect Effect,
    ToolReach Reach,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<string> Sinks,
    string Description,
    IReadOnlyDictionary<string, ArgumentKind>? Kinds = null)
{
    /// <summary>The JSON schema of the arguments object, when the tool publishes one (MCP); the model sees exactly this.</summary>
    public string? InputSchema { get; init; }

    /// <summary>Arguments the model sends as a list of texts (recipients); every other argument is one text.</summary>
    public IReadOnlySet<string> ListArguments { get; init; } = EmptySet;

    /// <summary>Arguments the model sends as a JSON object (workflow inputs); the plugin receives them as JSON text.</summary>
    public IReadOnlySet<string> ObjectArguments { get; init; } = EmptySet;

    /// <summary>What each argument means, as the model is told.</summary>
    public IReadOnlyDictionary<string, string> ArgumentDescriptions { get; init; } = new Dictionary<string, string>();

    /// <summary>The result carries content others wrote: the run marks it untrusted whatever the plugin says.</summary>
    public bool UntrustedResult { get; init; }

    /// <summary>Why the tool cannot be granted or called now (awaiting an admin's approval, changed since), or null.</summary>
    public string? Unavailable { get; init; }

    /// <summary>
    /// The kernel plugin name: the catalog name up to its last dot, inner dots as "__" (mcp.tickets.open →
    /// mcp__tickets), because kernel names allow only letters, digits and '_'. Catalog names never hold "__".
    /// </summary>
    public string KernelPlugin => Name[..Name.LastIndexOf('.')].Replace(".", KernelDot, StringComparison.Ordinal);

    /// <summary>The kernel function name: the catalog name after its last dot.</summary>
    public string KernelFunction => Name[(Name.LastIndexOf('.') + 1)..];

    /// <summary>The arguments with a kind other than text, as an array: the gate walks it without allocating.</summary>
    public KeyValuePair<string, ArgumentKind>[] KindedArguments { get; } = Kinds?.Where(k => k.Value is not (ArgumentKind.Text or ArgumentKind.Prose)).ToArray() ?? [];

    private const string KernelDot = "__";

    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>();

    /// <summary>The catalog name of a kernel function: the inverse of <see cref="KernelPlugin"/> and <see cref="KernelFunction"/>.</summary>
    public static string NameOfKernel(string? plugin, string function) =>
        string.IsNullOrEmpty(plugin) ? function : $"{plugin.Replace(KernelDot, ".", StringComparison.Ordinal)}.{function}";

    public string Plugin => Name[..Name.IndexOf('.', StringComparison.Ordinal)];

    public ArgumentKind KindOf(string argument) =>
        Kinds is not null && Kinds.TryGetValue(argument, out var kind) ? kind : ArgumentKind.Text;
}
