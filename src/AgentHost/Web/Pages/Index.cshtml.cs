using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages;

/// <summary>The home page: the agents, unless the host has no model, which it says first.</summary>
public sealed class IndexModel(ModelStatus model) : PageModel
{
    public IActionResult OnGet() => model.Configured ? Redirect("/agents") : Page();
}
