namespace AgentHost.Core.Audit;

public sealed record StoredCheckpoint(long TreeSize, byte[] RootHash, DateTimeOffset Timestamp, string Note);
