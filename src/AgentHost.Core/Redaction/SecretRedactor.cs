using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentHost.Core.Redaction;

/// <summary>
/// The one place where secrets are removed before anything is logged, audited or shown. It removes the
/// configured secret values wherever they occur, the values of keys that name a secret, and strings that
/// look like well-known credentials even when nobody registered them (a token pasted into a prompt).
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "[REDACTED]";

    // Shorter values would mask ordinary words; a real credential is never this short.
    private const int MinimumSecretLength = 6;

    private readonly string[] _secrets;

    public SecretRedactor(IEnumerable<string?> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets
            .Where(s => !string.IsNullOrEmpty(s) && s.Length >= MinimumSecretLength)
            .Select(s => s!)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
    }

    public static SecretRedactor None { get; } = new([]);

    public static bool IsSecretKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SecretKeyPattern().IsMatch(key);
    }

    public string Redact(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = value;
        foreach (var secret in _secrets)
        {
            if (result.Contains(secret, StringComparison.Ordinal))
            {
                result = result.Replace(secret, Mask, StringComparison.Ordinal);
            }
        }

        return CredentialPattern().Replace(result, Mask);
    }

    /// <summary>Returns a redacted deep copy; the input is left untouched.</summary>
    public JsonNode? Redact(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => RedactObject(obj),
        JsonArray array => new JsonArray(array.Select(Redact).ToArray()),
        JsonValue value when value.TryGetValue(out string? text) => JsonValue.Create(Redact(text)),
        _ => node.DeepClone(),
    };

    public JsonObject RedactObject(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            copy[key] = IsSecretKey(key) && value is not null and not JsonObject and not JsonArray
                ? JsonValue.Create(Mask)
                : Redact(value);
        }

        return copy;
    }

    // "botToken", "access_token", "Password", "signingSecret", "X-Api-Key"; but not "tokensPerRun" or "maxTokens",
    // which are usage figures the reports must keep.
    [GeneratedRegex(@"(token|password|passwd|secret|api[_\-]?key|authorization|credential|private[_\-]?key)$|password|secret|credential|private[_\-]?key", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretKeyPattern();

    // Slack tokens, GitHub tokens, OpenAI-style keys, bearer headers, PEM private keys.
    [GeneratedRegex(@"xox[abposr]-[A-Za-z0-9-]{8,}|xapp-[A-Za-z0-9-]{8,}|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-[A-Za-z0-9_-]{20,}|(?i:bearer)\s+[A-Za-z0-9._~+/=-]{16,}|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----", RegexOptions.CultureInvariant)]
    private static partial Regex CredentialPattern();
}
