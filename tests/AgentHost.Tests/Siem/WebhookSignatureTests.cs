using System.Security.Cryptography;
using System.Text;
using AgentHost.Audit.Siem;

namespace AgentHost.Tests.Siem;

/// <summary>The signature header against an HMAC computed here from the documented recipe, and forged headers that must fail.</summary>
public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec-0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_796_000_000);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"seq\":1}\n{\"seq\":2}\n");

    [Fact]
    public void Sign_IsHmacSha256OfV1TimestampAndBody_InLowerHex()
    {
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("v1:1796000000:{\"seq\":1}\n{\"seq\":2}\n")));

        WebhookSignature.Sign(Secret, 1_796_000_000, Body).ShouldBe($"t=1796000000,v1={expected}");
    }

    [Fact]
    public void Verify_AcceptsItsOwnSignature_WithinTheTolerance()
    {
        var header = WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);

        WebhookSignature.Verify(Secret, header, Body, Now.AddMinutes(4), TimeSpan.FromMinutes(5)).ShouldBeTrue();
    }

    [Theory]
    [InlineData("body")]
    [InlineData("secret")]
    [InlineData("old")]
    [InlineData("timestamp")]
    [InlineData("upper")]
    [InlineData("missing")]
    [InlineData("truncated")]
    [InlineData("garbage")]
    public void Verify_RefusesForgeries(string forgery)
    {
        var header = WebhookSignature.Sign(Secret, Now.ToUnixTimeSeconds(), Body);
        var body = Body;
        var secret = Secret;
        var now = Now;
        switch (forgery)
        {
            case "body": body = [.. Body[..^2], (byte)'3', (byte)'\n']; break;
            case "secret": secret = Secret + "x"; break;
            case "old": now = Now.AddMinutes(6); break;
            case "timestamp": header = header.Replace("t=1796000000", "t=1796000001", StringComparison.Ordinal); break;
            case "upper": header = "t=1796000000,v1=" + header.Split("v1=")[1].ToUpperInvariant() + "zz"; break;
            case "missing": header = null; break;
            case "truncated": header = header[..^2]; break;
            case "garbage": header = "t=1796000000,v1=" + new string('g', 64); break;
        }

        WebhookSignature.Verify(secret, header, body, now, TimeSpan.FromMinutes(5)).ShouldBeFalse();
    }
}
