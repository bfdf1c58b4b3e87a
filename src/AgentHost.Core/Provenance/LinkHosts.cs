using System.Text.RegularExpressions;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Provenance;

/// <summary>
/// The hosts that links in a text point to, read the way a browser would: scheme or none
/// (evil.test/path), userinfo dropped (https://good.com@evil.test/ goes to evil.test), port, path,
/// query and fragment ignored, percent-encoding decoded, case and a trailing dot folded, IDN in punycode.
/// Hosts are the unit of provenance for links: appending ?src=team or changing the path keeps the host.
/// </summary>
public static partial class LinkHosts
{
    // Public suffixes under which anyone can register a name: the registrable domain is one label more.
    // A short list, not the Public Suffix List: a miss over-reports (taints a whole shared suffix), never hides.
    private static readonly HashSet<string> TwoLabelSuffixes = new(StringComparer.Ordinal)
    {
        "co.uk", "org.uk", "ac.uk", "gov.uk", "me.uk", "ltd.uk", "plc.uk", "com.au", "net.au", "org.au", "co.nz", "co.jp", "ne.jp", "or.jp",
        "com.br", "com.cn", "com.mx", "co.in", "co.za", "co.kr", "com.tr", "com.sg", "com.hk", "co.il",
        "github.io", "herokuapp.com", "vercel.app", "netlify.app", "pages.dev", "workers.dev", "web.app", "firebaseapp.com",
        "azurewebsites.net", "cloudfront.net", "blogspot.com", "appspot.com", "s3.amazonaws.com", "ngrok.io", "ngrok-free.app",
    };

    // File names look like bare domains (notes.md, build.sh); without a scheme or a path they are not links.
    private static readonly HashSet<string> FileExtensions = new(StringComparer.Ordinal)
    {
        "md", "txt", "yml", "yaml", "json", "cs", "js", "ts", "py", "sh", "rb", "go", "rs", "java", "html", "htm", "css", "xml", "csv",
        "log", "png", "jpg", "jpeg", "gif", "svg", "pdf", "zip", "gz", "tar", "exe", "dll", "lock", "toml", "ini", "cfg", "sql", "proto",
    };

    /// <summary>Every host a link in the text points to (scheme links and bare domains), canonical.</summary>
    public static IEnumerable<string> In(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var decoded = Decode(text);
        foreach (var candidate in decoded == text ? [text] : new[] { text, decoded })
        {
            foreach (Match match in Link().Matches(candidate))
            {
                if (Host(match) is { } host)
                {
                    yield return host;
                }
            }
        }
    }

    /// <summary>The registrable domain of a host: its last two labels, or three under a known two-label suffix.</summary>
    public static string Registrable(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var labels = host.Split('.');
        if (labels.Length <= 2 || System.Net.IPAddress.TryParse(host, out _))
        {
            return host;
        }

        var lastTwo = $"{labels[^2]}.{labels[^1]}";
        var lastThree = $"{labels[^3]}.{lastTwo}";
        return TwoLabelSuffixes.Contains(lastTwo) ? lastThree
            : labels.Length > 3 && TwoLabelSuffixes.Contains(lastThree) ? $"{labels[^4]}.{lastThree}"
            : lastTwo;
    }

    /// <summary>Whether the host or a domain it sits under is among the given hosts (docs.example.com under example.com).</summary>
    public static bool IsUnder(string host, IReadOnlySet<string> hosts)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(hosts);
        for (var rest = host; rest.Length > 0; rest = rest.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? rest[(dot + 1)..] : string.Empty)
        {
            if (hosts.Contains(rest))
            {
                return true;
            }
        }

        return false;
    }

    private static string? Host(Match match)
    {
        var authority = match.Groups["authority"].Value;
        var scheme = match.Groups["scheme"].Success;

        // userinfo@host: everything up to the last '@' of the authority is a user name, not where the link goes.
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            if (!scheme)
            {
                return null; // a bare name@domain is an address, tracked as one, not a link
            }

            authority = authority[(at + 1)..];
        }

        var host = authority.StartsWith('[') ? authority : authority.Split(':')[0];
        host = ValueNormalization.Domain(host.Trim('.'));
        if (host.Length == 0 || (!scheme && !host.Contains('.', StringComparison.Ordinal)))
        {
            return null;
        }

        var tld = host[(host.LastIndexOf('.') + 1)..];
        if (!scheme && !match.Groups["path"].Success && FileExtensions.Contains(tld))
        {
            return null;
        }

        return !scheme && (tld.Length < 2 || (!tld.All(char.IsAsciiLetter) && !tld.StartsWith("xn--", StringComparison.Ordinal))) ? null : host;
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    // scheme://[userinfo@]host[:port][/path] or a bare host.tld[/path]; the authority stops at / ? # \ and white space.
    [GeneratedRegex(@"(?:(?<scheme>\b[a-z][a-z0-9+.\-]{1,15}:)//(?<authority>[^\s/?#\\""'<>]+)|(?<![\w@.\-/])(?<authority>[\w\-]+(?:\.[\w\-]+)+\.?)(?![\w@\-]))(?<path>[/?#][^\s""'<>]*)?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Link();
}
