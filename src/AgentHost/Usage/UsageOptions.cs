using System.ComponentModel.DataAnnotations;

namespace AgentHost.Usage;

/// <summary>
/// Usage:Prices:{model}:{InputPerMillion,OutputPerMillion}: what a million tokens cost, per model, for
/// the cost estimate. A model missing from the table is shown without a cost rather than a guessed one.
/// </summary>
public sealed class UsageOptions : IValidatableObject
{
    public const string Section = "Usage";

    public string Currency { get; set; } = "USD";

    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Currency) || Currency.Length > 10)
        {
            yield return new ValidationResult("Usage:Currency must be a short currency name such as USD", [nameof(Currency)]);
        }

        foreach (var (model, price) in Prices)
        {
            if (price.InputPerMillion is < 0 or > 1_000_000 || price.OutputPerMillion is < 0 or > 1_000_000)
            {
                yield return new ValidationResult($"Usage:Prices:{model}: InputPerMillion and OutputPerMillion must be from 0 to 1000000", [$"Prices.{model}"]);
            }
        }
    }
}

public sealed class ModelPrice
{
    public decimal InputPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }
}
