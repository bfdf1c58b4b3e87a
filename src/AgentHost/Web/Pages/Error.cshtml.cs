using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages;

/// <summary>
/// What a browser sees for an error status (EdgeRegistration re-executes here): the navigation, what
/// happened in words and where to go next; the API keeps its problem details. The re-executed request
/// keeps its method, so a refused form post (an out-of-date antiforgery token) lands here as a POST too.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }

    /// <summary>The path that failed (the re-executed request's original), or null when /error/{code} was asked for directly.</summary>
    public string? FailedPath { get; private set; }

    public string Heading => Code switch
    {
        StatusCodes.Status400BadRequest => "The request could not be used",
        StatusCodes.Status403Forbidden => "You may not open this page",
        StatusCodes.Status404NotFound => "There is nothing here",
        >= 500 => "Something went wrong on our side",
        _ => "The request was not completed",
    };

    /// <summary>A refused sign-out: the form was older than the session (another tab signed in again); the header's form is fresh.</summary>
    public bool SignOutRefused => Code == StatusCodes.Status400BadRequest
        && string.Equals(FailedPath, "/signout", StringComparison.OrdinalIgnoreCase);

    public IActionResult OnGet(int code) => Show(code);

    public IActionResult OnPost(int code) => Show(code);

    private PageResult Show(int code)
    {
        var reExecuted = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        FailedPath = reExecuted?.OriginalPath ?? HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path;
        Code = code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
        Response.StatusCode = Code;
        return Page();
    }
}
