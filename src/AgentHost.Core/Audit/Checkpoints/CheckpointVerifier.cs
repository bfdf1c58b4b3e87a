namespace AgentHost.Core.Audit.Checkpoints;

/// <summary>Parses and verifies signed checkpoint notes against a public key (SPKI PEM).</summary>
public sealed class CheckpointVerifier : IDisposable
{
    public static CheckpointVerifier FromPublicKeyPem(string publicKeyPem) => throw new NotImplementedException();

    /// <summary>False, with a reason, for a malformed note, an unknown key or a bad signature.</summary>
    public bool TryVerify(string note, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Checkpoint? checkpoint, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error) => throw new NotImplementedException();

    public void Dispose() => throw new NotImplementedException();
}
