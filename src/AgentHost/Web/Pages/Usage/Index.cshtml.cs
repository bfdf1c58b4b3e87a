using System.Globalization;
using AgentHost.Core.Directory;
using AgentHost.Usage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Usage;

/// <summary>Usage and value over a period: tokens next to the effects they bought, never a ranking of people.</summary>
public sealed class IndexModel(UsageReport report, EmployeeDirectory directory, TimeProvider time) : PageModel
{
    public const int DefaultDays = 30;

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
        var today = time.GetUtcNow().UtcDateTime.Date;
        var to = Day(nameof(To), To) ?? today.AddDays(1);
        var from = Day(nameof(From), From) ?? to.AddDays(-DefaultDays);
        From = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        To = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (from >= to)
        {
            Errors[nameof(To)] = "must be after From";
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Rows = await report.BuildAsync(User, GroupBy.Value, new DateTimeOffset(from, TimeSpan.Zero), new DateTimeOffset(to, TimeSpan.Zero), cancellationToken);
    }

    private DateTime? Day(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
        {
            return day;
        }

        Errors[field] = "must be a date, yyyy-MM-dd";
        return null;
    }
}
