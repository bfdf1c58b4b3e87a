using AgentHost.Core.Agents;
using AgentHost.Core.Runs;
using AgentHost.Runs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Runs;

/// <summary>The newest runs of the agents I may see (mine, my direct reports'; every agent for security and admins).</summary>
public sealed class IndexModel(RunListing listing) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? AgentId { get; set; }

    public IReadOnlyList<Run> Runs { get; private set; } = [];

    public Agent? Agent { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await listing.ListAsync(User, AgentId, cancellationToken) is not { } list)
        {
            return NotFound();
        }

        (Agent, Runs) = (list.Agent, list.Runs);
        return Page();
    }
}
