namespace AgentHost.Core.Audit.Checkpoints;

/// <summary>A checkpoint with its signed-note text (C2SP tlog-checkpoint body plus signature line).</summary>
public sealed record SignedCheckpoint(Checkpoint Checkpoint, string Note);
