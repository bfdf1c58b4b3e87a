namespace AgentHost.Core.Tools;

/// <summary>Checks on a plugin function's text arguments; a bad one throws ArgumentException with a message the model can act on.</summary>
public static class ToolText
{
    public static string Required(string? value, string name) =>
        value is { Length: > 0 } ? value : throw new ArgumentException($"{name}: required");
}
