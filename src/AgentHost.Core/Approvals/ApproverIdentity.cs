using AgentHost.Core.Tools;

namespace AgentHost.Core.Approvals;

/// <summary>
/// One spelling per person: an approver, owner, requester or starter is compared as the canonical e-mail
/// address the gate uses for recipients, so `Alice@Example.com ` and `alice@example.com` are the same person.
/// </summary>
public static class ApproverIdentity
{
    public static string Canonical(string? email) => email is null ? string.Empty : EmailAddressText.Canonical(email);

    public static bool Same(string? a, string? b) => Canonical(a).Length > 0 && Canonical(a) == Canonical(b);
}
