namespace AgentHost.Runs;

/// <summary>The model endpoint answered with an error or not at all: the run fails with this message.</summary>
public sealed class ModelEndpointException : Exception
{
    public ModelEndpointException()
    {
    }

    public ModelEndpointException(string message)
        : base(message)
    {
    }

    public ModelEndpointException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
