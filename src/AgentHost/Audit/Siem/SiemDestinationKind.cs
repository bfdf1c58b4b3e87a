namespace AgentHost.Audit.Siem;

/// <summary>How a destination receives the stream. None is what an unset Kind binds to, and is refused at start-up.</summary>
public enum SiemDestinationKind
{
    None,
    Syslog,
    Webhook,
}
