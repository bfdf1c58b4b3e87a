using System.Net;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace AgentHost.Tests.Emulators;

/// <summary>
/// Semantic Kernel's real OpenAI connector against the emulator: the wire contract the run loop relies
/// on (function calling with auto-invoke off, token usage, errors) holds before any agent uses it.
/// </summary>
public sealed class ModelEmulatorContractTests
{
    [Fact]
    public async Task ToolCall_ComesBackAsAFunctionCall_NotInvoked_WithUsage()
    {
        await using var model = await ModelEmulator.StartAsync();
        var invoked = false;
        var kernel = Kernel(model, model.ApiKey);
        kernel.Plugins.AddFromFunctions("slack", [KernelFunctionFactory.CreateFromMethod((string channel) => { invoked = true; return "read"; }, "read_channel", "Read a channel")]);
        model.Enqueue(new ModelReply.ToolCalls([new ToolCall("slack-read_channel", "{\"channel\":\"C0OPS\"}", "call_1")], Prompt: 321, Completion: 12));

        var reply = await kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(
            new ChatHistory("Summarise #ops"),
            new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto(autoInvoke: false) },
            kernel);

        var call = FunctionCallContent.GetFunctionCalls(reply).ShouldHaveSingleItem();
        call.PluginName.ShouldBe("slack");
        call.FunctionName.ShouldBe("read_channel");
        call.Id.ShouldBe("call_1");
        call.Arguments!["channel"]!.ToString().ShouldBe("C0OPS");
        invoked.ShouldBeFalse();
        var usage = reply.Metadata!["Usage"].ShouldBeOfType<OpenAI.Chat.ChatTokenUsage>();
        (usage.InputTokenCount, usage.OutputTokenCount).ShouldBe((321, 12));
        var request = model.Requests.ShouldHaveSingleItem();
        request["tools"]![0]!["function"]!["name"]!.GetValue<string>().ShouldBe("slack-read_channel");
    }

    [Fact]
    public async Task WrongKey_Is401_AndRateLimit_Is429()
    {
        await using var model = await ModelEmulator.StartAsync();
        var chat = Kernel(model, "sk-wrong-key").GetRequiredService<IChatCompletionService>();

        var unauthorized = await Should.ThrowAsync<HttpOperationException>(() => chat.GetChatMessageContentAsync(new ChatHistory("hi")));

        unauthorized.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        model.Requests.ShouldBeEmpty();
        model.Enqueue(new ModelReply.RateLimited(RetryAfterSeconds: 0), new ModelReply.RateLimited(0), new ModelReply.RateLimited(0), new ModelReply.RateLimited(0));
        var limited = await Should.ThrowAsync<HttpOperationException>(() => Kernel(model, model.ApiKey).GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(new ChatHistory("hi")));
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task AToolCallWithoutItsResult_OrAResultWithoutItsCall_Is400()
    {
        await using var model = await ModelEmulator.StartAsync();
        var chat = Kernel(model, model.ApiKey).GetRequiredService<IChatCompletionService>();
        var unanswered = new ChatHistory("hi");
        unanswered.Add(new ChatMessageContent(AuthorRole.Assistant, [new FunctionCallContent("read_channel", "slack", "call_a"), new FunctionCallContent("read_channel", "slack", "call_b")]));
        unanswered.Add(new FunctionResultContent("read_channel", "slack", "call_a", "ok").ToChatMessage());
        var stray = new ChatHistory("hi");
        stray.Add(new FunctionResultContent("read_channel", "slack", "call_x", "ok").ToChatMessage());

        (await Should.ThrowAsync<HttpOperationException>(() => chat.GetChatMessageContentAsync(unanswered))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Should.ThrowAsync<HttpOperationException>(() => chat.GetChatMessageContentAsync(stray))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        model.Requests.ShouldBeEmpty();
    }

    private static Kernel Kernel(ModelEmulator model, string apiKey)
    {
#pragma warning disable SKEXP0010 // custom endpoints are how OpenAI-compatible servers (Ollama, vLLM, llama.cpp) are reached
        return Microsoft.SemanticKernel.Kernel.CreateBuilder().AddOpenAIChatCompletion("test-model", model.Endpoint, apiKey).Build();
#pragma warning restore SKEXP0010
    }
}
