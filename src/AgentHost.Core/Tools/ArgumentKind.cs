namespace AgentHost.Core.Tools;

/// <summary>
/// What an argument's value names, which decides how it is normalised and compared (docs/policies.md,
/// "Values"): the host compares it the way the system it lands in does.
/// </summary>
public enum ArgumentKind
{
    /// <summary>Free text: kept as sent, compared exactly; tainted when it repeats an untrusted identifier or the whole of a value.</summary>
    Text,

    /// <summary>
    /// Long free text (a mail body): like <see cref="Text"/>, but relaying what a colleague wrote is normal,
    /// so it is tainted only by untrusted links, addresses, identifier-like tokens and copied sentences.
    /// </summary>
    Prose,

    /// <summary>A GitHub environment: case-insensitive there, canonical lower-case here.</summary>
    Environment,

    /// <summary>A git ref: refs/heads/ and heads/ dropped (the same branch), case kept (git is case-sensitive).</summary>
    Ref,

    /// <summary>A commit SHA: lower-case hex; a 7+ character prefix names the same commit.</summary>
    Sha,

    /// <summary>A Slack channel: ids upper-case, names lower-case, compared case-insensitively.</summary>
    Channel,

    /// <summary>An e-mail address: display name dropped, lower-case, IDN domain in punycode.</summary>
    Email,

    /// <summary>A GitHub repository owner/name: case-insensitive there, canonical lower-case here.</summary>
    Repo,

    /// <summary>An IMAP mailbox: INBOX is case-insensitive (RFC 3501 5.1), every other name is exact.</summary>
    Folder,

    /// <summary>A DNS domain: lower-case, no trailing dot, punycode.</summary>
    Domain,

    /// <summary>A number such as a pull request's: '#' and leading zeros dropped.</summary>
    Number,
}
