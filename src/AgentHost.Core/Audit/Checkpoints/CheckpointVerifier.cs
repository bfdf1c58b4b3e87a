using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace AgentHost.Core.Audit.Checkpoints;

/// <summary>Parses and verifies signed checkpoint notes against a public key (SPKI PEM).</summary>
public sealed class CheckpointVerifier : IDisposable
{
    private readonly ECDsa _key;
    private readonly byte[] _spki;

    private CheckpointVerifier(ECDsa key)
    {
        _key = key;
        _spki = key.ExportSubjectPublicKeyInfo();
    }

    public static CheckpointVerifier FromPublicKeyPem(string publicKeyPem)
    {
        ArgumentNullException.ThrowIfNull(publicKeyPem);
        var key = ECDsa.Create();
        key.ImportFromPem(publicKeyPem);
        return new CheckpointVerifier(key);
    }

    /// <summary>False, with a reason, for a malformed note, an unknown key or a bad signature.</summary>
    public bool TryVerify(string note, [NotNullWhen(true)] out Checkpoint? checkpoint, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(note);
        checkpoint = null;
        var split = note.IndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            error = "note has no signature block";
            return false;
        }

        var body = note[..(split + 1)];
        var signatureLine = note[(split + 2)..];
        if (!signatureLine.StartsWith(CheckpointNote.SignaturePrefix, StringComparison.Ordinal) || !signatureLine.EndsWith('\n')
            || signatureLine.IndexOf('\n', StringComparison.Ordinal) != signatureLine.Length - 1)
        {
            error = "note must end with exactly one signature line";
            return false;
        }

        var parts = signatureLine[CheckpointNote.SignaturePrefix.Length..^1].Split(' ');
        if (parts.Length != 2)
        {
            error = "signature line must be '— <name> <signature>'";
            return false;
        }

        if (!CheckpointNote.TryParseBody(body, out var parsed, out error))
        {
            return false;
        }

        if (parts[0] != parsed.Origin)
        {
            error = $"signed by '{parts[0]}', not by the log '{parsed.Origin}'";
            return false;
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            error = "signature is not base64";
            return false;
        }

        if (blob.Length < 5 || !blob.AsSpan(0, 4).SequenceEqual(CheckpointNote.KeyId(parts[0], _spki)))
        {
            error = "signature is by an unknown key";
            return false;
        }

        if (!_key.VerifyData(Encoding.UTF8.GetBytes(body), blob.AsSpan(4), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
        {
            error = "signature does not verify";
            return false;
        }

        checkpoint = parsed;
        error = null;
        return true;
    }

    public void Dispose() => _key.Dispose();
}
