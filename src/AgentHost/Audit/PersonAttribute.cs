using System.ComponentModel.DataAnnotations;
using AgentHost.Core.Audit;

namespace AgentHost.Audit;

/// <summary>A person filter: an e-mail, with or without a role prefix (user:, approver:, ...).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PersonAttribute() : ValidationAttribute("must be an e-mail address, e.g. alice@example.com or approver:alice@example.com")
{
    public override bool IsValid(object? value) => value is null or "" || (value is string text && AuditActorMatch.IsPerson(text));
}
