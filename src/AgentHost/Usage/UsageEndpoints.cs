using AgentHost.Core.Employees;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgentHost.Usage;

/// <summary>
/// `GET /api/usage?groupBy=agent|owner|team&amp;from=yyyy-MM-dd&amp;to=yyyy-MM-dd`: the report the usage page
/// shows, with the same visibility (own agents; a manager's reports; teams for security and admins).
/// </summary>
public static class UsageEndpoints
{
    public static WebApplication MapUsage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGroup("/api/usage").WithTags("Usage").MapGet("/", GetAsync).RequireAuthorization();
        return app;
    }

    private static async Task<Results<Ok<UsageReportView>, ValidationProblem>> GetAsync([AsParameters] UsageQuery query, HttpContext context, UsageReport report, EmployeeDirectory directory, TimeProvider time, CancellationToken cancellationToken)
    {
        var allowed = UsageReport.GroupingsFor(context.User, directory);
        var grouping = query.GroupBy is null ? allowed[0] : Enum.Parse<UsageGrouping>(query.GroupBy, ignoreCase: true);
        if (!allowed.Contains(grouping))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal)
            {
                ["groupBy"] = [$"one of {string.Join(", ", allowed.Select(g => g.ToString().ToLowerInvariant()))} for you"],
            });
        }

        // Valid: the query's own validation has already read it.
        var period = query.Period(time, new Dictionary<string, string>(StringComparer.Ordinal));
        var rows = await report.BuildAsync(context.User, grouping, period.Start, period.End, cancellationToken);
        return TypedResults.Ok(UsageReportView.Create(grouping, period, report.Currency, rows));
    }
}
