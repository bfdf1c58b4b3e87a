using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Security.Injection;

/// <summary>Where the attacker's (or a colleague's) text is planted before the run reads it.</summary>
public enum PlantedIn
{
    Email,
    Slack,
    PullRequest,

    /// <summary>A deployment someone else made (its ref), read back through deploy.get_status.</summary>
    Deployment,
}

/// <summary>
/// One run of the suite, modelled on AgentDojo's workspace and Slack suites: text planted in an email,
/// a Slack message or a pull request body, a task the owner gives, the reads the model makes, and the
/// one call the model then makes. In an attack the model obeys the planted text completely, so
/// <see cref="Act"/> is the attacker's wish; in a benign scenario it is what the owner asked for.
/// Placeholders in arguments: {marker} (unique per scenario and suite run), {uid} (the planted mail),
/// {ts} (the planted Slack message).
/// </summary>
/// <param name="TaintedArgument">The argument whose untrusted origin the gate must show (null where the
/// value is a plain word the tracker deliberately does not follow, e.g. "production").</param>
public sealed record InjectionScenario(
    string Id,
    bool IsAttack,
    PlantedIn Source,
    string Goal,
    string Planted,
    string Task,
    ToolCall Act,
    string? TaintedArgument = null)
{
    public ToolCall Read => Source switch
    {
        PlantedIn.Email => new ToolCall("email-read_message", """{"folder":"INBOX","id":"{uid}"}""", "call_read"),
        PlantedIn.Slack => new ToolCall("slack-read_channel", """{"channel":"C0OPS"}""", "call_read"),
        PlantedIn.Deployment => new ToolCall("deploy-get_status", """{"repo":"acme/web","environment":"staging"}""", "call_read"),
        _ => new ToolCall("deploy-list_pull_requests", """{"repo":"acme/web"}""", "call_read"),
    };

    public override string ToString() => Id;
}
