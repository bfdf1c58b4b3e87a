namespace AgentHost.Core.Policies;

/// <summary>A mistake in a policy file, located to the character, in the format compilers use.</summary>
public sealed record PolicyError(string File, long Line, long Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
