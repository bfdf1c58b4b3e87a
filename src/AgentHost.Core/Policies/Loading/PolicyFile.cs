namespace AgentHost.Core.Policies.Loading;

/// <summary>One policy source: its name as shown in errors and hashed, and its text.</summary>
public sealed record PolicyFile(string Name, string Text);
