using System.ComponentModel.DataAnnotations;

namespace AgentHost.Plugins.Email;

/// <summary>
/// The mailbox this host's agents work in (IMAP) and the account they send from (SMTP). Without an IMAP
/// host the email tools and the email arrival trigger are off; without an SMTP host email.send is.
/// </summary>
public sealed class EmailOptions : IValidatableObject
{
    public const string Section = "Email";

    public MailServerOptions Imap { get; set; } = new();

    public MailServerOptions Smtp { get; set; } = new();

    /// <summary>The sender of every mail an agent sends; required with an SMTP host.</summary>
    public string? From { get; set; }

    /// <summary>The most of a message body handed to the model; the rest is cut with a note.</summary>
    [Range(500, 1_000_000)]
    public int MaxBodyCharacters { get; set; } = 20_000;

    [Range(1, 200)]
    public int MaxListMessages { get; set; } = 50;

    [Range(1, 500)]
    public int MaxRecipients { get; set; } = 50;

    /// <summary>How often folders bound to an email arrival trigger are checked for new messages.</summary>
    [Range(1, 3600)]
    public int PollSeconds { get; set; } = 30;

    /// <summary>IMAP connections kept open and shared by all runs and the trigger.</summary>
    [Range(1, 64)]
    public int MaxImapConnections { get; set; } = 4;

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    public bool ImapEnabled => !string.IsNullOrWhiteSpace(Imap.Host);

    public bool SmtpEnabled => !string.IsNullOrWhiteSpace(Smtp.Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, server) in new[] { ("Imap", Imap), ("Smtp", Smtp) })
        {
            if (!string.IsNullOrWhiteSpace(server.Host) && server.Port is < 1 or > 65_535)
            {
                yield return new ValidationResult($"Email:{name}:Port must be 1-65535", [name]);
            }

            if (!string.IsNullOrWhiteSpace(server.Host) && !string.IsNullOrEmpty(server.User) && string.IsNullOrEmpty(server.Password))
            {
                yield return new ValidationResult($"Email:{name}:Password is required with Email:{name}:User", [name]);
            }
        }

        if (ImapEnabled && string.IsNullOrWhiteSpace(Imap.User))
        {
            yield return new ValidationResult("Email:Imap:User is required with Email:Imap:Host", [nameof(Imap)]);
        }

        if (SmtpEnabled && !Sending.Addresses.IsBareAddress(From))
        {
            yield return new ValidationResult("Email:From must be a plain address (name@domain) when Email:Smtp:Host is set", [nameof(From)]);
        }
    }
}
