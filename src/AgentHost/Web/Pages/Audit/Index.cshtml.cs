using System.Globalization;
using AgentHost.Audit.Siem;
using AgentHost.Core.Agents;
using AgentHost.Core.Audit;
using AgentHost.Core.Employees;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Audit;

/// <summary>
/// Audit search (security and admin only, by the folder's authorization convention): free text and the
/// filters of GET /api/audit, a page of events newest first with pages both ways (keyset on seq), names beside the
/// ids of agents and people, links to each event's detail, verify, and the export of the view.
/// </summary>
public sealed class IndexModel(AuditReader reader, AgentStore agents, EmployeeDirectory directory, SiemStreamStatus siem) : PageModel
{
    public const int PageSize = 50;

    public static IReadOnlyList<string> Types { get; } = [.. typeof(AuditEventTypes).GetFields()
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal)];

    [BindProperty(SupportsGet = true)]
    public string? RunId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? AgentId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Type { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Agent { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Function { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Decision { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Rule { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? After { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    /// <summary>Agent names by id, for the events shown.</summary>
    public IReadOnlyDictionary<string, Agent> AgentsById { get; private set; } = new Dictionary<string, Agent>();

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public AuditBrowsePage? Result { get; private set; }

    /// <summary>The SIEM stream's destinations, their lag and last error (empty when none is configured).</summary>
    public IReadOnlyList<SiemDestinationStatus> Siem { get; private set; } = [];

    /// <summary>The filters as a query string, for the export links and the next page: the export is exactly the view.</summary>
    public string FilterQuery { get; private set; } = string.Empty;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Siem = await siem.ReadAsync(cancellationToken);
        var from = Time(nameof(From), From);
        var to = Time(nameof(To), To);
        Check(nameof(Q), Q, AuditTextQuery.MaxLength, null);
        Check(nameof(Person), Person, 256, text => AuditActorMatch.IsPerson(text) ? null : "must be an e-mail address, e.g. alice@example.com or approver:alice@example.com");
        Check(nameof(Agent), Agent, 256, null);
        Check(nameof(Function), Function, 256, null);
        Check(nameof(Decision), Decision, 256, null);
        Check(nameof(Rule), Rule, 256, null);
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var filter = new AuditFilter(Blank(RunId), Blank(AgentId), Blank(Actor), Blank(Type), from, to,
            Blank(Q), Blank(Person), Blank(Agent), Blank(Function), Blank(Decision), Blank(Rule));
        var query = new Dictionary<string, string?>
        {
            ["q"] = filter.Text,
            ["person"] = filter.Person,
            ["agent"] = filter.AgentName,
            ["function"] = filter.Function,
            ["decision"] = filter.Decision,
            ["rule"] = filter.Rule,
            ["runId"] = filter.RunId,
            ["agentId"] = filter.AgentId,
            ["actor"] = filter.Actor,
            ["type"] = filter.Type,
            ["from"] = from?.ToString("O", CultureInfo.InvariantCulture),
            ["to"] = to?.ToString("O", CultureInfo.InvariantCulture),
        };
        FilterQuery = string.Join("&", query.Where(q => q.Value is not null).Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value!)}"));
        Result = await reader.BrowseAsync(filter, Before, After, PageSize, cancellationToken);
        AgentsById = await agents.GetManyAsync([.. Result.Events.Select(e => e.AgentId).OfType<string>().Distinct(StringComparer.Ordinal)], cancellationToken);
    }

    /// <summary>The person behind an actor (employee:x, approver:x), by the directory; null for agents and the system.</summary>
    public string? PersonOf(AuditActor actor) =>
        actor.Id is { } id && id.Contains('@', StringComparison.Ordinal) ? directory.FindByEmail(id)?.Name : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private void Check(string field, string? text, int maxLength, Func<string, string?>? rule)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        if (text.Length > maxLength)
        {
            Errors[field] = $"at most {maxLength} characters";
        }
        else if (rule?.Invoke(text.Trim()) is { } error)
        {
            Errors[field] = error;
        }
    }

    private DateTimeOffset? Time(string field, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        Errors[field] = "must be a date and time, e.g. 2026-01-31 or 2026-01-31T09:00:00Z";
        return null;
    }
}
