namespace AgentHost.Cli;

/// <summary>A usage mistake on the command line: reported in one line with exit code 2, no stack trace.</summary>
public sealed class CommandLineException(string message) : Exception(message);
