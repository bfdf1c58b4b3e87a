using System.Globalization;
using AgentHost.Audit.Overview;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Security;

/// <summary>
/// The security overview (security reviewers and admins, by the folder's authorization convention): the
/// report of GET /api/audit/overview as plain tables, spikes marked, with links into the audit search.
/// </summary>
public sealed class IndexModel(SecurityOverview overview) : PageModel
{
    public static IReadOnlyList<int> Periods { get; } = [1, 7, 30, 90];

    [BindProperty(SupportsGet = true)]
    public string? Days { get; set; }

    public string? DaysError { get; private set; }

    public SecurityOverviewReport? Report { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var days = SecurityOverview.DefaultDays;
        if (!string.IsNullOrWhiteSpace(Days)
            && !(int.TryParse(Days.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out days) && days is >= 1 and <= SecurityOverview.MaxDays))
        {
            DaysError = $"must be a whole number from 1 to {SecurityOverview.MaxDays}";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        Report = await overview.ReadAsync(days, cancellationToken);
    }

    /// <summary>The audit search for one type, from a day's midnight to the next (UTC).</summary>
    public static string SearchLink(string type, DateOnly day, string? agentId = null) =>
        string.Create(CultureInfo.InvariantCulture, $"/audit?type={Uri.EscapeDataString(type)}&from={day:yyyy-MM-dd}&to={day.AddDays(1):yyyy-MM-dd}")
        + (agentId is null ? string.Empty : $"&agentId={Uri.EscapeDataString(agentId)}");

    /// <summary>"3 d 4 h", "5 h 12 min", "40 s": how long an approval has waited.</summary>
    public static string Age(long seconds)
    {
        var age = TimeSpan.FromSeconds(seconds);
        return age.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} d {age.Hours} h")
            : age.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{age.Hours} h {age.Minutes} min")
            : age.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{age.Minutes} min")
            : string.Create(CultureInfo.InvariantCulture, $"{age.Seconds} s");
    }
}
