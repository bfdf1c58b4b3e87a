using System.Security.Claims;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Employees;
using AgentHost.Core.Runs;
using AgentHost.Core.Tools;
using AgentHost.Core.Usage;
using AgentHost.Runs;
using Microsoft.Extensions.Options;

namespace AgentHost.Usage;

/// <summary>
/// The usage and value report. Who sees what: an employee their own agents; a manager also their
/// direct reports' (per agent or per owner); security and admins every team, aggregated by team (the
/// owner's manager), so nobody is singled out. Rows come in alphabetical order: the report never ranks.
/// </summary>
public sealed class UsageReport(UsageStore store, AgentStore agents, EmployeeDirectory directory, ToolCatalog catalog, IOptions<UsageOptions> options, IOptions<ModelOptions> model)
{
    public static IReadOnlyList<UsageGrouping> GroupingsFor(ClaimsPrincipal user, EmployeeDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(directory);
        if (user.IsInRole(Roles.Security) || user.IsInRole(Roles.Admin))
        {
            return [UsageGrouping.Team, UsageGrouping.Agent];
        }

        return directory.DirectReportsOf(user.Email()).Count > 0 ? [UsageGrouping.Agent, UsageGrouping.Owner] : [UsageGrouping.Agent];
    }

    public async Task<IReadOnlyList<UsageRow>> BuildAsync(ClaimsPrincipal user, UsageGrouping grouping, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var me = user.Email();
        var everyone = user.IsInRole(Roles.Security) || user.IsInRole(Roles.Admin);
        if (!GroupingsFor(user, directory).Contains(grouping))
        {
            grouping = UsageGrouping.Agent;
        }

        // Per-agent rows of a security reviewer show their own agents only: teams are their wider view.
        IReadOnlyCollection<string>? owners = everyone && grouping == UsageGrouping.Team
            ? null
            : [me, .. grouping == UsageGrouping.Agent && everyone ? [] : directory.DirectReportsOf(me).Select(e => e.Email)];
        var facts = await store.ReadAsync(from, to, owners, cancellationToken);
        var callsByRun = facts.Calls.ToLookup(c => c.RunId, StringComparer.Ordinal);
        var approvalsByRun = facts.Approvals.ToLookup(a => a.RunId, StringComparer.Ordinal);
        var agentCache = await agents.GetManyAsync([.. facts.Runs.Select(r => r.AgentId).Distinct(StringComparer.Ordinal)], cancellationToken);

        var rows = new List<UsageRow>();
        foreach (var group in facts.Runs.GroupBy(r => KeyOf(r, grouping), StringComparer.OrdinalIgnoreCase))
        {
            var runs = group.ToList();
            var calls = runs.SelectMany(r => callsByRun[r.RunId]).ToList();
            var effects = calls.Where(c => c.Outcome == ToolCallOutcome.Executed && IsEffect(c.Function))
                .GroupBy(c => EffectKind(c.Function), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var approvals = runs.SelectMany(r => approvalsByRun[r.RunId]).ToList();
            var withoutEffect = runs.Count(r => r.Status.IsFinal()
                && !callsByRun[r.RunId].Any(c => c.Outcome == ToolCallOutcome.Executed && IsEffect(c.Function)));
            rows.Add(new UsageRow(
                group.Key,
                LabelOf(group.Key, grouping, agentCache),
                runs.Count,
                runs.Sum(r => r.InputTokens),
                runs.Sum(r => r.OutputTokens),
                effects,
                calls.Count(c => c.Outcome == ToolCallOutcome.Executed && !IsEffect(c.Function)),
                approvals.Count(a => a.Status == ApprovalStatus.Approved),
                approvals.Count(a => a.Status == ApprovalStatus.Rejected),
                withoutEffect,
                Cost(runs, agentCache)));
        }

        return [.. rows.OrderBy(r => r.Label, StringComparer.OrdinalIgnoreCase)];
    }

    public string Currency => options.Value.Currency;

    private string KeyOf(UsageRun run, UsageGrouping grouping) => grouping switch
    {
        UsageGrouping.Owner => run.Owner,
        UsageGrouping.Team => TeamOf(run.Owner),
        _ => run.AgentId,
    };

    private string LabelOf(string key, UsageGrouping grouping, IReadOnlyDictionary<string, Agent> agentCache) => grouping switch
    {
        UsageGrouping.Agent => agentCache.GetValueOrDefault(key)?.Definition.Name is { } name ? $"{name} ({key})" : key,
        UsageGrouping.Team => key.Length == 0 ? NoTeam : $"Team of {directory.FindByEmail(key)?.Name ?? key}",
        _ => directory.FindByEmail(key)?.Name is { } person ? $"{person} <{key}>" : key,
    };

    /// <summary>The label of the row of owners who neither have a manager nor manage anyone.</summary>
    public const string NoTeam = "People without a team (no manager, no reports)";

    /// <summary>
    /// The owner's manager; a manager's own agents count in their own team. Someone with neither a manager
    /// nor reports is not a one-person team (that row would single them out): they share the no-team row.
    /// </summary>
    private string TeamOf(string owner)
    {
        if (directory.FindByEmail(owner)?.Manager is { Length: > 0 } manager)
        {
            return manager;
        }

        return directory.DirectReportsOf(owner).Count > 0 ? owner : string.Empty;
    }

    private bool IsEffect(string function) => catalog.TryGet(function, out var tool) && tool.Effect != ToolEffect.Read;

    private string EffectKind(string function) => catalog.TryGet(function, out var tool) ? $"{tool.Effect.ToString().ToLowerInvariant()}: {function}" : function;

    /// <summary>Null when any run's model has no price: a partial sum would look complete.</summary>
    private decimal? Cost(IEnumerable<UsageRun> runs, IReadOnlyDictionary<string, Agent> agentCache)
    {
        var total = 0m;
        foreach (var run in runs)
        {
            var name = agentCache.GetValueOrDefault(run.AgentId)?.Definition.Model ?? model.Value.Name;
            if (!options.Value.Prices.TryGetValue(name, out var price))
            {
                return null;
            }

            total += (run.InputTokens * price.InputPerMillion + run.OutputTokens * price.OutputPerMillion) / 1_000_000m;
        }

        return total;
    }
}
