using System.Security.Cryptography;
using AgentHost.Core.Audit.Checkpoints;

namespace AgentHost.Tests.Audit;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "agenthost-cp-" + Guid.NewGuid().ToString("N"));
    private readonly CheckpointSigner _signer;
    private readonly CheckpointVerifier _verifier;
    private readonly Checkpoint _checkpoint = new("agenthost/audit", 1234, SHA256.HashData("root"u8), DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123));

    public CheckpointTests()
    {
        _signer = CheckpointSigner.LoadOrCreate(Path.Combine(_dir, "keys", "signing.pem"), "agenthost/audit");
        _verifier = CheckpointVerifier.FromPublicKeyPem(_signer.PublicKeyPem);
    }

    [Fact]
    public void Sign_ThenVerify_RoundTripsEveryField()
    {
        var signed = _signer.Sign(_checkpoint);

        _verifier.TryVerify(signed.Note, out var parsed, out var error).ShouldBeTrue(error);
        parsed!.TreeSize.ShouldBe(1234);
        parsed.RootHash.ShouldBe(_checkpoint.RootHash);
        parsed.Origin.ShouldBe("agenthost/audit");
        parsed.Timestamp.ShouldBe(_checkpoint.Timestamp);
        signed.Note.ShouldStartWith($"agenthost/audit\n1234\n{Convert.ToBase64String(_checkpoint.RootHash)}\ntimestamp 1764000000123\n\n\u2014 agenthost/audit ");
    }

    [Theory]
    [InlineData("\n1234\n", "\n1235\n")]
    [InlineData("timestamp 1764000000123", "timestamp 1764000000124")]
    [InlineData("agenthost/audit\n", "agenthost/other\n")]
    public void Verify_TamperedBody_IsRejected(string from, string to)
    {
        var note = _signer.Sign(_checkpoint).Note;
        var tampered = ReplaceFirst(note, from, to);

        tampered.ShouldNotBe(note);
        _verifier.TryVerify(tampered, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void Verify_TamperedRoot_IsRejected()
    {
        var forged = _signer.Sign(_checkpoint).Note.Replace(
            Convert.ToBase64String(_checkpoint.RootHash), Convert.ToBase64String(SHA256.HashData("other"u8)), StringComparison.Ordinal);

        _verifier.TryVerify(forged, out _, out var error).ShouldBeFalse();
        error.ShouldBe("signature does not verify");
    }

    [Fact]
    public void Verify_SignedByAnotherKey_IsRejected()
    {
        using var other = CheckpointSigner.LoadOrCreate(Path.Combine(_dir, "other.pem"), "agenthost/audit");

        _verifier.TryVerify(other.Sign(_checkpoint).Note, out _, out var error).ShouldBeFalse();
        error.ShouldBe("signature is by an unknown key");
    }

    [Theory]
    [InlineData("")]
    [InlineData("agenthost/audit\n12\n")]
    [InlineData("agenthost/audit\n012\nAAAA\ntimestamp 1\n\n\u2014 agenthost/audit AAAA\n")]
    [InlineData("agenthost/audit\n+12\nAAAA\ntimestamp 1\n\n\u2014 agenthost/audit AAAA\n")]
    [InlineData("agenthost/audit\n12\nnot-base64!\ntimestamp 1\n\n\u2014 agenthost/audit AAAA\n")]
    [InlineData("agenthost/audit\n12\nAAAA\ntimestamp 1\n\n\u2014 agenthost/audit AAAA\n")]
    [InlineData("agenthost/audit\n12\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\ntimestamp x\n\n\u2014 agenthost/audit AAAA\n")]
    public void Verify_MalformedNote_ReturnsAReasonNotAnException(string note)
    {
        _verifier.TryVerify(note, out var parsed, out var error).ShouldBeFalse();
        parsed.ShouldBeNull();
        error.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Verify_TrailingGarbage_IsRejected()
    {
        _verifier.TryVerify(_signer.Sign(_checkpoint).Note + "extra\n", out _, out _).ShouldBeFalse();
    }

    [Fact]
    public void LoadOrCreate_KeyFileIsPrivate_AndReloadsTheSameKey()
    {
        var path = Path.Combine(_dir, "keys", "signing.pem");

        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var reloaded = CheckpointSigner.LoadOrCreate(path, "agenthost/audit");
        reloaded.PublicKeyPem.ShouldBe(_signer.PublicKeyPem);
        _verifier.TryVerify(reloaded.Sign(_checkpoint).Note, out _, out var error).ShouldBeTrue(error);
    }

    public void Dispose()
    {
        _signer.Dispose();
        _verifier.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static string ReplaceFirst(string text, string from, string to)
    {
        var i = text.IndexOf(from, StringComparison.Ordinal);
        return i < 0 ? text : text[..i] + to + text[(i + from.Length)..];
    }
}
