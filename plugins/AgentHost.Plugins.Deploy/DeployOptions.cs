using System.ComponentModel.DataAnnotations;

namespace AgentHost.Plugins.Deploy;

/// <summary>
/// The GitHub account the deploy tools act as. Without a token the deploy plugin is off; the token never
/// leaves the plugin, not even in an error message.
/// </summary>
public sealed class DeployOptions : IValidatableObject
{
    public const string Section = "GitHub";

    /// <summary>A fine-grained token with Deployments, Actions and Pull requests access to the granted repositories.</summary>
    public string? Token { get; set; }

    /// <summary>GitHub's REST API; GitHub Enterprise Server is reached at https://HOST/ (Octokit adds api/v3/).</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://api.github.com/");

    [Range(1, 300, ErrorMessage = "GitHub:TimeoutSeconds must be from 1 to 300")]
    public int TimeoutSeconds { get; set; } = 30;

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ApiBaseUrl.IsAbsoluteUri || ApiBaseUrl.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult("GitHub:ApiBaseUrl must be an absolute http(s) URL", [nameof(ApiBaseUrl)]);
        }

        if (Token is { } token && token.Any(char.IsWhiteSpace))
        {
            yield return new ValidationResult("GitHub:Token must not contain whitespace", [nameof(Token)]);
        }
    }
}
