namespace AgentHost.Core.Audit.Checkpoints;

/// <summary>
/// Signs checkpoints with an ECDSA P-256 key kept in a PKCS#8 PEM file, created (mode 0600) on first use.
/// </summary>
public sealed class CheckpointSigner : IDisposable
{
    public static CheckpointSigner LoadOrCreate(string keyPath, string origin) => throw new NotImplementedException();

    public string Origin => throw new NotImplementedException();

    /// <summary>SubjectPublicKeyInfo PEM; give it to reviewers so they can verify offline.</summary>
    public string PublicKeyPem => throw new NotImplementedException();

    public SignedCheckpoint Sign(Checkpoint checkpoint) => throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
