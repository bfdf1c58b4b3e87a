using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Agents;
using AgentHost.Core.Tools;
using AgentHost.Tools;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using Microsoft.SemanticKernel.Connectors.OpenAI;

namespace AgentHost.Runs;

/// <summary>
/// Builds the kernel of one run: the model, and only the functions the agent's owner granted. There is
/// no other function, so nothing else (no shell, no file system, no HTTP fetch) can even be proposed.
/// </summary>
public sealed class AgentKernelFactory(IOptions<ModelOptions> model, ToolCatalog catalog, ToolExecutors executors, IHttpClientFactory http, TimeProvider time)
{
    // A function is the same for every run (the gate ticket that reaches it is ambient), and building one
    // derives JSON schemas for its parameters: built once per declaration, not once per run. Keyed by the
    // descriptor itself, so a catalog that changes (an MCP tool approved) gets new functions.
    private readonly ConditionalWeakTable<ToolDescriptor, KernelFunction> _functions = [];

    /// <summary>The kernel of one run; its <see cref="ModelCallLedger"/> (a kernel service) counts the tokens of its model calls.</summary>
    public Kernel Create(Agent agent, string runId)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var options = model.Value;
        var name = agent.Definition.Model ?? options.Name;
        var ledger = new ModelCallLedger();
#pragma warning disable SKEXP0010 // custom endpoints are how OpenAI-compatible servers (Ollama, vLLM, llama.cpp) are reached
        var endpoint = new OpenAIChatCompletionService(name, options.Endpoint!, options.ApiKey, httpClient: http.CreateClient("model"));
#pragma warning restore SKEXP0010
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton(ledger);
        builder.Services.AddSingleton<IChatCompletionService>(new ModelCallAccounting(endpoint, runId, options.Name, ledger, time));
        builder.Services.AddSingleton<IFunctionInvocationFilter, GateEnforcementFilter>();
        var kernel = builder.Build();
        foreach (var plugin in (agent.Definition.Tools ?? []).Select(t => catalog.TryGet(t, out var d) ? d : null).OfType<ToolDescriptor>().Where(d => d.Unavailable is null).GroupBy(d => d.KernelPlugin))
        {
            kernel.Plugins.AddFromFunctions(plugin.Key, plugin.Select(tool => _functions.GetValue(tool, Function)));
        }

        return kernel;
    }

    private KernelFunction Function(ToolDescriptor tool) => KernelFunctionFactory.CreateFromMethod(
        (Func<KernelArguments, CancellationToken, Task<string>>)((arguments, cancellationToken) => InvokeAsync(tool, arguments, cancellationToken)),
        tool.KernelFunction,
        tool.Description,
        Parameters(tool),
        new KernelReturnParameterMetadata { ParameterType = typeof(string) });

    /// <summary>
    /// What the model is told of each argument: its shape from the plugin's declaration (a list where the
    /// method takes a list) and its description; a tool that publishes a JSON schema (MCP) gives each
    /// argument exactly its property's schema and says which are required.
    /// </summary>
    private static IEnumerable<KernelParameterMetadata> Parameters(ToolDescriptor tool)
    {
        var schema = tool.InputSchema is { } text ? JsonNode.Parse(text) as JsonObject : null;
        var properties = schema?["properties"] as JsonObject;
        var required = (schema?["required"] as JsonArray)?.OfType<JsonValue>().Select(r => r.TryGetValue<string>(out var name) ? name : null).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        return tool.Arguments.Select(a => properties?[a] is JsonNode property
            ? new KernelParameterMetadata(a)
            {
                Description = property["description"] is JsonValue d && d.TryGetValue<string>(out var described) ? described : tool.ArgumentDescriptions.GetValueOrDefault(a),
                Schema = KernelJsonSchema.Parse(property.ToJsonString()),
                IsRequired = required.Contains(a),
            }
            : new KernelParameterMetadata(a)
            {
                Description = tool.ArgumentDescriptions.GetValueOrDefault(a),
                ParameterType = tool.ListArguments.Contains(a) ? typeof(string[]) : typeof(string),
                IsRequired = false,
            });
    }

    private async Task<string> InvokeAsync(ToolDescriptor tool, KernelArguments arguments, CancellationToken cancellationToken)
    {
        var ticket = GateTicket.Current ?? throw new InvalidOperationException($"{tool.Name} was invoked without passing the gate; refused");
        var values = arguments.ToDictionary(a => a.Key, a => a.Value is JsonElement element ? ToolArguments.FromJson(element) : a.Value, StringComparer.Ordinal);
        var result = await executors.ExecuteAsync(new ToolInvocation(tool.Name, values, ticket.AgentId, ticket.RunId, ticket.CallId), cancellationToken);
        ticket.Answer(result);
        return ToolArguments.Envelope(tool.Name, result, model.Value.MaxToolResultCharacters);
    }
}
