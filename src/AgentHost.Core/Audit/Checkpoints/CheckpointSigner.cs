using System.Security.Cryptography;
using System.Text;

namespace AgentHost.Core.Audit.Checkpoints;

/// <summary>
/// Signs checkpoints with an ECDSA P-256 key kept in a PKCS#8 PEM file, created (mode 0600) on first use.
/// </summary>
public sealed class CheckpointSigner : IDisposable
{
    private readonly ECDsa _key;
    private readonly byte[] _keyId;

    private CheckpointSigner(ECDsa key, string origin)
    {
        _key = key;
        Origin = origin;
        var spki = key.ExportSubjectPublicKeyInfo();
        _keyId = CheckpointNote.KeyId(origin, spki);
        PublicKeyPem = PemEncoding.WriteString("PUBLIC KEY", spki);
    }

    public string Origin { get; }

    /// <summary>SubjectPublicKeyInfo PEM; give it to reviewers so they can verify offline.</summary>
    public string PublicKeyPem { get; }

    public static CheckpointSigner LoadOrCreate(string keyPath, string origin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(origin);
        var key = ECDsa.Create();
        if (File.Exists(keyPath))
        {
            key.ImportFromPem(File.ReadAllText(keyPath));
            if (key.KeySize != 256)
            {
                key.Dispose();
                throw new CryptographicException($"{keyPath} is not an ECDSA P-256 key");
            }

            return new CheckpointSigner(key, origin);
        }

        key.GenerateKey(ECCurve.NamedCurves.nistP256);
        WritePrivateKey(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new CheckpointSigner(key, origin);
    }

    public SignedCheckpoint Sign(Checkpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Origin != Origin)
        {
            throw new ArgumentException($"checkpoint origin '{checkpoint.Origin}' is not this signer's '{Origin}'", nameof(checkpoint));
        }

        var body = CheckpointNote.Body(checkpoint);
        var signature = _key.SignData(Encoding.UTF8.GetBytes(body), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var note = $"{body}\n{CheckpointNote.SignaturePrefix}{Origin} {Convert.ToBase64String([.. _keyId, .. signature])}\n";
        return new SignedCheckpoint(checkpoint, note);
    }

    public void Dispose() => _key.Dispose();

    private static void WritePrivateKey(string keyPath, string pem)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(keyPath))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(keyPath)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            file.Write(Encoding.ASCII.GetBytes(pem));
            file.Flush(flushToDisk: true);
        }

        // Never overwrite a key that appeared meanwhile: a second process must not replace the first's key.
        File.Move(temporary, keyPath, overwrite: false);
    }
}
