namespace AgentHost.Core.Notifications;

/// <summary>A message the platform posted (to update it later), or the thread a run was asked for in (to answer there).</summary>
public sealed record MessageRef(string Channel, string Ts);
