using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentHost.Tests.Emulators;

/// <summary>
/// A provider that answers the code exchange with whatever ID token a test crafts (another issuer, another
/// audience, a foreign key), to show that the host's OpenID Connect handler refuses what it must. Only the
/// endpoints the code flow touches: discovery, keys, token, userinfo. The honest provider is tests/oidc.
/// </summary>
public sealed class IdTokenIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "published" };

    private IdTokenIssuer(WebApplication app) => _app = app;

    public string Issuer { get; private set; } = null!;

    /// <summary>The nonce of the sign-in under way, read by the test from the authorization redirect.</summary>
    public string? Nonce { get; set; }

    /// <summary>Shapes the next ID token: issuer, audience, signing key (null: the published one).</summary>
    public (string? Issuer, string Audience, RsaSecurityKey? Key) Next { get; set; } = (null, "agenthost", null);

    public static async Task<IdTokenIssuer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var issuer = new IdTokenIssuer(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Issuer,
            ["authorization_endpoint"] = issuer.Issuer + "/authorize",
            ["token_endpoint"] = issuer.Issuer + "/token",
            ["userinfo_endpoint"] = issuer.Issuer + "/userinfo",
            ["end_session_endpoint"] = issuer.Issuer + "/session/end",
            ["jwks_uri"] = issuer.Issuer + "/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () => Results.Json(new { keys = new[] { issuer.PublicJwk() } }));
        app.MapPost("/token", () => Results.Json(new { access_token = "emulated-access-token", token_type = "Bearer", expires_in = 300, id_token = issuer.IdToken() }));
        app.MapGet("/userinfo", () => Results.Json(new { sub = "alice", email = "alice@example.com", email_verified = true }));
        await app.StartAsync();
        issuer.Issuer = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return issuer;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private object PublicJwk()
    {
        var parameters = _key.Rsa.ExportParameters(includePrivateParameters: false);
        return new { kty = "RSA", use = "sig", alg = "RS256", kid = _key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) };
    }

    private string IdToken()
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Next.Issuer ?? Issuer,
            Audience = Next.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            Subject = new ClaimsIdentity([new Claim("sub", "alice"), new Claim("email", "alice@example.com")]),
            Claims = new Dictionary<string, object> { ["nonce"] = Nonce ?? string.Empty },
            SigningCredentials = new SigningCredentials(Next.Key ?? _key, SecurityAlgorithms.RsaSha256),
        });
    }
}
