using AgentHost.Core.Employees;
using AgentHost.Usage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Usage;

/// <summary>Usage and value over a period: tokens next to the effects they bought, never a ranking of people.</summary>
public sealed class IndexModel(UsageReport report, EmployeeDirectory directory, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public UsageGrouping? GroupBy { get; set; }

    public IReadOnlyList<UsageGrouping> Groupings { get; private set; } = [];

    public IReadOnlyList<UsageRow> Rows { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string Currency => report.Currency;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Groupings = UsageReport.GroupingsFor(User, directory);
        GroupBy = GroupBy is { } chosen && Groupings.Contains(chosen) ? chosen : Groupings[0];
        var period = UsagePeriod.Read(From, To, time.GetUtcNow().UtcDateTime.Date, nameof(From), nameof(To), Errors);
        From = UsagePeriod.Format(period.From);
        To = UsagePeriod.Format(period.To);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Rows = await report.BuildAsync(User, GroupBy.Value, period.Start, period.End, cancellationToken);
    }
}
