namespace AgentHost.Core.Tools;

/// <summary>
/// A scope a plugin's tools can be restricted to (slack.channels, github.repos): its key in agent
/// definitions and policies, the plugin whose tools it restricts, the form's label and hint, and what its
/// values name, which decides how granted values are normalised (the same way as the arguments they are
/// compared with).
/// </summary>
public sealed record ScopeDescriptor(string Key, string Plugin, string Label, string Hint, ArgumentKind Kind = ArgumentKind.Text);
