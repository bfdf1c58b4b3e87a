namespace AgentHost.Core.Audit;

/// <summary>The event was not made durable; whatever it recorded must not go ahead.</summary>
public sealed class AuditWriteException : Exception
{
    public AuditWriteException()
    {
    }

    public AuditWriteException(string message)
        : base(message)
    {
    }

    public AuditWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
