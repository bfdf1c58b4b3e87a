namespace AgentHost.Core.Approvals;

/// <summary>
/// One spelling per person: an approver, owner, requester or starter is compared as the trimmed,
/// lower-case e-mail address, so `Alice@Example.com ` and `alice@example.com` are the same person.
/// </summary>
public static class ApproverIdentity
{
    public static string Canonical(string? email) => (email ?? string.Empty).Trim().ToLowerInvariant();

    public static bool Same(string? a, string? b) => Canonical(a).Length > 0 && Canonical(a) == Canonical(b);
}
