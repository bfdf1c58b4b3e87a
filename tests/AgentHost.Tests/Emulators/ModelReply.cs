namespace AgentHost.Tests.Emulators;

/// <summary>One scripted answer of the model emulator.</summary>
public abstract record ModelReply(int PromptTokens = 100, int CompletionTokens = 20)
{
    public sealed record Text(string Content, int Prompt = 100, int Completion = 20) : ModelReply(Prompt, Completion);

    public sealed record ToolCalls(IReadOnlyList<ToolCall> Calls, int Prompt = 120, int Completion = 30) : ModelReply(Prompt, Completion);

    public sealed record RateLimited(int RetryAfterSeconds = 1) : ModelReply;

    public sealed record Failure(int Status = 500) : ModelReply;

    /// <summary>A body sent as is: malformed JSON, a wrong shape.</summary>
    public sealed record Raw(string Body) : ModelReply;
}

/// <summary>A function call the scripted model proposes; arguments as the JSON text OpenAI sends.</summary>
public sealed record ToolCall(string Name, string ArgumentsJson, string? Id = null);
