using System.ComponentModel.DataAnnotations;

namespace AgentHost.Runs;

/// <summary>The OpenAI-compatible endpoint agents run on (OpenAI, Azure OpenAI, Ollama, vLLM, llama.cpp server).</summary>
public sealed class ModelOptions : IValidatableObject
{
    public const string Section = "Model";

    /// <summary>Base URL ending in /v1; without it the host starts, and runs fail with a clear reason.</summary>
    public Uri? Endpoint { get; set; }

    public string? ApiKey { get; set; }

    [Required]
    public string Name { get; set; } = "gpt-4o-mini";

    /// <summary>Longest text a tool result may hand to the model; longer results are cut and say so.</summary>
    [Range(256, 1_000_000)]
    public int MaxToolResultCharacters { get; set; } = 8_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Endpoint is not null && (!Endpoint.IsAbsoluteUri || Endpoint.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Model:Endpoint must be an absolute http(s) URL ending in /v1", [nameof(Endpoint)]);
        }
    }
}
