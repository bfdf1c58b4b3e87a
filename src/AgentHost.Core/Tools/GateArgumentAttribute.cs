namespace AgentHost.Core.Tools;

/// <summary>
/// What the gate knows of one argument of a plugin function: what its value names (normalisation and
/// comparison), whether it is a sink (it decides where the effect lands, so a tainted value there is what
/// prompt injection aims for), and whether it is a JSON object rather than text. Without it an argument
/// is free text and no sink.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class GateArgumentAttribute(ArgumentKind kind = ArgumentKind.Text) : Attribute
{
    public ArgumentKind Kind { get; } = kind;

    /// <summary>The argument's name in the catalog and for the model (thread_ts), when it is not the parameter's name (threadTs).</summary>
    public string? Name { get; init; }

    public bool Sink { get; init; }

    /// <summary>The model sends a JSON object (workflow inputs); the plugin receives it as JSON text.</summary>
    public bool JsonObject { get; init; }
}
