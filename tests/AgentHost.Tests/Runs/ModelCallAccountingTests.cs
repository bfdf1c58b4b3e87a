using AgentHost.Runs;
using AgentHost.Tests.Emulators;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace AgentHost.Tests.Runs;

/// <summary>The accounting decorator on its own, over the real OpenAI connector talking to the model emulator.</summary>
public sealed class ModelCallAccountingTests : IAsyncLifetime
{
    private readonly ModelCallLedger _ledger = new();
    private ModelEmulator _model = null!;
    private HttpClient _http = null!;
    private ModelCallAccounting _chat = null!;

    public async Task InitializeAsync()
    {
        _model = await ModelEmulator.StartAsync();
        _http = new HttpClient();
#pragma warning disable SKEXP0010
        var endpoint = new OpenAIChatCompletionService("emulated-model", _model.Endpoint, _model.ApiKey, httpClient: _http);
#pragma warning restore SKEXP0010
        _chat = new ModelCallAccounting(endpoint, "run_0011223344556677", "emulated-model", _ledger, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _model.DisposeAsync();
    }

    [Fact]
    public async Task EachCall_RecordsItsTokens_AndATakeStartsTheCountAgain()
    {
        _model.Enqueue(new ModelReply.Text("one", Prompt: 200, Completion: 15), new ModelReply.Text("two", Prompt: 300, Completion: 10), new ModelReply.Text("three", Prompt: 7, Completion: 3));

        var first = await _chat.GetChatMessageContentAsync(History());
        await _chat.GetChatMessageContentAsync(History());
        var turn = _ledger.Take();
        await _chat.GetChatMessageContentAsync(History());

        first.Content.ShouldBe("one");
        turn.ShouldBe((500L, 25L));
        _ledger.Take().ShouldBe((7L, 3L));
        _ledger.Take().ShouldBe((0L, 0L));
    }

    [Theory]
    [InlineData(500, "the model endpoint failed: 500 InternalServerError")]
    [InlineData(503, "the model endpoint failed: 503 ServiceUnavailable")]
    public async Task AFailedEndpoint_IsAModelEndpointException_WithTheStatus_AndCostsNoTokens(int status, string message)
    {
        _model.Enqueue(new ModelReply.Failure(status));

        var failed = await Should.ThrowAsync<ModelEndpointException>(() => _chat.GetChatMessageContentAsync(History()));

        failed.Message.ShouldBe(message);
        _ledger.Take().ShouldBe((0L, 0L));
    }

    [Fact]
    public void Streaming_IsRefused_SoNoCallEscapesTheAccounting() =>
        Should.Throw<NotSupportedException>(() => _chat.GetStreamingChatMessageContentsAsync(History()));

    private static ChatHistory History()
    {
        var history = new ChatHistory("You answer briefly.");
        history.AddUserMessage("hi");
        return history;
    }
}
