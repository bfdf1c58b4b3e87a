using AgentHost.Agents;
using AgentHost.Core.Agents;
using AgentHost.Core.Agents.History;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Agents;

/// <summary>
/// /agents/{id}/history: every saved version of an agent, newest first, each with who saved it, when and
/// what changed, for whoever may see the agent. Each version is an anchor (#v3) the run page links to.
/// </summary>
public sealed class HistoryModel(AgentStore store, AgentAccess access, AgentVersionStore versions) : PageModel
{
    public const int Shown = 200;

    public Agent Agent { get; private set; } = null!;

    public IReadOnlyList<AgentVersion> Versions { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        var agent = await store.GetAsync(id, cancellationToken);
        if (agent is null || !access.CanRead(User, agent))
        {
            return NotFound();
        }

        Agent = agent;
        Versions = await versions.ListAsync(id, Shown, cancellationToken);
        return Page();
    }

    /// <summary>A field path in words: "scopes.slack.channels" → "Scope slack.channels".</summary>
    public static string Label(string field) => field switch
    {
        "name" => "Name",
        "description" => "Description",
        "instructions" => "Instructions",
        "model" => "Model",
        "tools" => "Tools",
        "triggers.manual" => "Started by hand",
        "triggers.schedules" => "Schedules",
        "triggers.slackMention.channels" => "Slack mention channels",
        "triggers.slackMention.directMessages" => "Slack direct messages from the owner",
        "triggers.emailArrival.folders" => "New-mail folders",
        "budgets.tokensPerRun" => "Tokens per run",
        "budgets.tokensPerDay" => "Tokens per day",
        "budgets.maxTurns" => "Model turns per run",
        "budgets.maxWallTime" => "Time per run",
        "budgets.maxConcurrentRuns" => "Runs at once",
        "budgets.maxToolCallsPerTurn" => "Tool calls per model reply",
        "budgets.maxToolCallsPerRun" => "Tool calls per run",
        _ when field.StartsWith("scopes.", StringComparison.Ordinal) => "Scope " + field["scopes.".Length..],
        _ => field,
    };
}
