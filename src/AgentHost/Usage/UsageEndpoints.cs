using AgentHost.Core.Employees;

namespace AgentHost.Usage;

/// <summary>
/// `GET /api/usage?groupBy=agent|owner|team&amp;from=yyyy-MM-dd&amp;to=yyyy-MM-dd`: the report the usage page
/// shows, with the same visibility (own agents; a manager's reports; teams for security and admins).
/// </summary>
public static class UsageEndpoints
{
    private const int MaxDays = 366;

    public static WebApplication MapUsage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/usage", GetAsync).RequireAuthorization();
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext context, UsageReport report, EmployeeDirectory directory, TimeProvider time, string? groupBy, string? from, string? to, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var allowed = UsageReport.GroupingsFor(context.User, directory);
        var grouping = allowed[0];
        if (groupBy is not null && (!Enum.TryParse(groupBy, ignoreCase: true, out grouping) || !Enum.IsDefined(grouping) || !allowed.Contains(grouping)))
        {
            errors["groupBy"] = $"one of {string.Join(", ", allowed.Select(g => g.ToString().ToLowerInvariant()))} for you";
        }

        var period = UsagePeriod.Read(from, to, time.GetUtcNow().UtcDateTime.Date, "from", "to", errors);
        if (errors.Count == 0 && (period.To - period.From).TotalDays > MaxDays)
        {
            errors["to"] = $"at most {MaxDays} days after from";
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }, StringComparer.Ordinal));
        }

        var rows = await report.BuildAsync(context.User, grouping, period.Start, period.End, cancellationToken);
        return Results.Ok(new
        {
            groupBy = grouping.ToString().ToLowerInvariant(),
            from = UsagePeriod.Format(period.From),
            to = UsagePeriod.Format(period.To),
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
}
