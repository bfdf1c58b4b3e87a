using System.ComponentModel.DataAnnotations;

namespace AgentHost.Plugins.Slack;

/// <summary>
/// The Slack app this host acts as. Without a bot token the Slack plugin, approval messages and replies
/// are off; without a signing secret every request to /slack/* is refused.
/// </summary>
public sealed class SlackOptions : IValidatableObject
{
    public const string Section = "Slack";

    public string? BotToken { get; set; }

    public string? SigningSecret { get; set; }

    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>Channel id where approval requests are posted.</summary>
    public string? ApprovalChannel { get; set; }

    /// <summary>
    /// The web app's address as people reach it (https://agents.example.com/), for the links in Slack's
    /// messages to the approval and the run. Without it the messages carry no links, not broken ones.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Also send each eligible approver a direct message with the buttons.</summary>
    public bool DirectMessageApprovers { get; set; }

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>How often a rate-limited (429) call is tried again, honouring Retry-After each time.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The longest Retry-After the client waits; a longer one fails the call instead.</summary>
    [Range(1, 300)]
    public int MaxRetryAfterSeconds { get; set; } = 30;

    /// <summary>How old a signed request may be (Slack recommends five minutes).</summary>
    [Range(1, 3600)]
    public int MaxRequestAgeSeconds { get; set; } = 300;

    /// <summary>
    /// How often the work of a recorded click or mention is tried (the first time and replays) before it is
    /// given up, audited and logged, so one whose handling always fails is not replayed forever.
    /// </summary>
    [Range(1, 100)]
    public int MaxInboundAttempts { get; set; } = 5;

    public bool Enabled => !string.IsNullOrWhiteSpace(BotToken);

    /// <summary><see cref="PublicBaseUrl"/> ending in '/', so that relative links keep its path (https://example.com/agents/).</summary>
    public Uri? Links => PublicBaseUrl is null ? null : new Uri(PublicBaseUrl.AbsoluteUri.EndsWith('/') ? PublicBaseUrl.AbsoluteUri : PublicBaseUrl.AbsoluteUri + "/");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ApiBaseUrl.IsAbsoluteUri || ApiBaseUrl.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult("Slack:ApiBaseUrl must be an absolute http(s) URL", [nameof(ApiBaseUrl)]);
        }

        if (PublicBaseUrl is not null && (!PublicBaseUrl.IsAbsoluteUri || PublicBaseUrl.Scheme is not ("https" or "http") || PublicBaseUrl.Query.Length > 0 || PublicBaseUrl.Fragment.Length > 0 || !string.IsNullOrEmpty(PublicBaseUrl.UserInfo)))
        {
            yield return new ValidationResult("Slack:PublicBaseUrl must be the web app's absolute http(s) address, without query, fragment or credentials (https://agents.example.com/)", [nameof(PublicBaseUrl)]);
        }

        if (Enabled && string.IsNullOrWhiteSpace(ApprovalChannel))
        {
            yield return new ValidationResult("Slack:ApprovalChannel is required when Slack:BotToken is set", [nameof(ApprovalChannel)]);
        }
    }
}
