using AgentHost.Audit;
using AgentHost.Core.Audit;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Audit;

/// <summary>The verify button's result: the same verification as GET /api/audit/verify.</summary>
public sealed class VerifyModel(AuditVerification verification) : PageModel
{
    public AuditVerificationResult Result { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Result = await verification.VerifyAsync(cancellationToken);
}
