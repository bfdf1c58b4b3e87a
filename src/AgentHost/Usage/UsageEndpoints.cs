using System.Globalization;
using AgentHost.Core.Directory;

namespace AgentHost.Usage;

/// <summary>
/// `GET /api/usage?groupBy=agent|owner|team&amp;from=yyyy-MM-dd&amp;to=yyyy-MM-dd`: the report the usage page
/// shows, with the same visibility (own agents; a manager's reports; teams for security and admins).
/// </summary>
public static class UsageEndpoints
{
    private const int DefaultDays = 30;
    private const int MaxDays = 366;

    public static WebApplication MapUsage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/usage", GetAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext context, UsageReport report, EmployeeDirectory directory, TimeProvider time, string? groupBy, string? from, string? to, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var allowed = UsageReport.GroupingsFor(context.User, directory);
        var grouping = allowed[0];
        if (groupBy is not null && (!Enum.TryParse(groupBy, ignoreCase: true, out grouping) || !Enum.IsDefined(grouping) || !allowed.Contains(grouping)))
        {
            errors["groupBy"] = [$"one of {string.Join(", ", allowed.Select(g => g.ToString().ToLowerInvariant()))} for you"];
        }

        var today = time.GetUtcNow().UtcDateTime.Date;
        var end = Day(to, "to", errors) ?? today.AddDays(1);
        var start = Day(from, "from", errors) ?? end.AddDays(-DefaultDays);
        if (errors.Count == 0 && (start >= end || (end - start).TotalDays > MaxDays))
        {
            errors["to"] = [$"must be after from, at most {MaxDays} days later"];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var rows = await report.BuildAsync(context.User, grouping, new DateTimeOffset(start, TimeSpan.Zero), new DateTimeOffset(end, TimeSpan.Zero), cancellationToken);
        return Results.Ok(new
        {
            groupBy = grouping.ToString().ToLowerInvariant(),
            from = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            to = end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            currency = report.Currency,
            rows = rows.Select(r => new
            {
                key = r.Key,
                label = r.Label,
                runs = r.Runs,
                tokens = new { input = r.InputTokens, output = r.OutputTokens, total = r.Tokens },
                effects = r.Effects,
                effectsByKind = r.EffectsByKind,
                reads = r.Reads,
                approvalsGranted = r.ApprovalsGranted,
                approvalsRejected = r.ApprovalsRejected,
                runsWithoutEffect = r.RunsWithoutEffect,
                tokensPerEffect = r.TokensPerEffect,
                cost = r.Cost,
            }),
        });
    }

    private static DateTime? Day(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
        {
            return day;
        }

        errors[field] = ["a date as yyyy-MM-dd"];
        return null;
    }
}
