using System.Globalization;

namespace AgentHost.Core.Agents;

/// <summary>
/// One spelling per scope value, the way the target system compares it, so an entitlement, an admin grant
/// and a saved value agree whatever case or white space the form used. Slack channel ids are upper-case;
/// GitHub repositories and environments compare case-insensitively; mail domains are IDNA ASCII lower-case
/// (bücher.example and xn--bcher-kva.example are one domain). IMAP (RFC 3501 section 5.1) makes only INBOX
/// case-insensitive; every other folder name is compared as written, as Dovecot and Cyrus do.
/// </summary>
public static class ScopeValues
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    public static string Canonical(string scope, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        return scope switch
        {
            "slack.channels" => trimmed.ToUpperInvariant(),
            "github.repos" or "github.environments" => trimmed.ToLowerInvariant(),
            "email.recipientDomains" => Domain(trimmed),
            "email.folders" => string.Equals(trimmed, "INBOX", StringComparison.OrdinalIgnoreCase) ? "INBOX" : trimmed,
            _ => trimmed,
        };
    }

    public static bool Same(string scope, string left, string right) =>
        string.Equals(Canonical(scope, left), Canonical(scope, right), StringComparison.Ordinal);

    private static string Domain(string domain)
    {
        var bare = domain.TrimStart('@').TrimEnd('.');
        try
        {
            return Idn.GetAscii(bare.ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            // Not a domain IDNA accepts: kept lower-case, so it matches no real entitlement by accident.
            return bare.ToLowerInvariant();
        }
    }
}
