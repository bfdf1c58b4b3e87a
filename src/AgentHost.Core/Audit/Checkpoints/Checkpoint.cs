namespace AgentHost.Core.Audit.Checkpoints;

/// <summary>A tree head: the log had <see cref="TreeSize"/> events with this root at this time.</summary>
public sealed record Checkpoint(string Origin, long TreeSize, byte[] RootHash, DateTimeOffset Timestamp);
