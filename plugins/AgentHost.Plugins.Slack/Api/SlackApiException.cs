namespace AgentHost.Plugins.Slack.Api;

/// <summary>
/// A Slack Web API call that did not succeed: Slack's own error code (channel_not_found, invalid_auth,
/// ratelimited, ...) or an HTTP failure, never the token or the request body.
/// </summary>
public sealed class SlackApiException : Exception
{
    public SlackApiException()
        : this("unknown", "unknown")
    {
    }

    public SlackApiException(string message)
        : this("unknown", message)
    {
    }

    public SlackApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Method = "unknown";
        Error = "exception";
    }

    public SlackApiException(string method, string error, Exception? innerException = null)
        : base($"Slack {method} failed: {error}", innerException)
    {
        Method = method;
        Error = error;
    }

    public string Method { get; }

    /// <summary>Slack's error code, or http_NNN, timeout, ratelimited.</summary>
    public string Error { get; }

    public bool IsRateLimited => Error == "ratelimited";
}
