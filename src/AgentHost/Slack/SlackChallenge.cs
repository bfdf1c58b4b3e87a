namespace AgentHost.Slack;

/// <summary>The answer to Slack's url_verification: the challenge, echoed.</summary>
public sealed record SlackChallenge(string Challenge);
