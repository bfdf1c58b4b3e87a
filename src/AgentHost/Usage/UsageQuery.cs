using System.ComponentModel.DataAnnotations;

namespace AgentHost.Usage;

/// <summary>
/// GET /api/usage's query, checked before the handler runs: a known grouping and a period of whole days,
/// from before to, at most <see cref="MaxDays"/> long. Which groupings the caller may use is the handler's
/// question: it depends on who asks.
/// </summary>
public sealed record UsageQuery(
    [property: RegularExpression("^(?i:agent|owner|team)$", ErrorMessage = "one of agent, owner, team")] string? GroupBy,
    string? From,
    string? To) : IValidatableObject
{
    public const int MaxDays = 366;

    /// <summary>The period asked for; errors are named after the query fields.</summary>
    public UsagePeriod Period(TimeProvider time, IDictionary<string, string> errors)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(errors);
        var period = UsagePeriod.Read(From, To, time.GetUtcNow().UtcDateTime.Date, "from", "to", errors);
        if (errors.Count == 0 && (period.To - period.From).TotalDays > MaxDays)
        {
            errors["to"] = $"at most {MaxDays} days after from";
        }

        return period;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        ArgumentNullException.ThrowIfNull(validationContext);
        var time = validationContext.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System;
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        Period(time, errors);
        return errors.Select(e => new ValidationResult(e.Value, [e.Key]));
    }
}
