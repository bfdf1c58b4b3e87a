namespace AgentHost.Core.Audit;

/// <summary>
/// What a reviewer searches by; every member is optional and they combine with AND. <see cref="Text"/> is
/// free text (<see cref="AuditTextQuery"/>); <see cref="Person"/> an e-mail whatever the role prefix and
/// case; <see cref="AgentName"/> an agent's name in any case; <see cref="Function"/>, <see cref="Decision"/>
/// and <see cref="Rule"/> the values of those fields in the event's data, in any case.
/// </summary>
public sealed record AuditFilter(
    string? RunId = null,
    string? AgentId = null,
    string? Actor = null,
    string? Type = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    string? Text = null,
    string? Person = null,
    string? AgentName = null,
    string? Function = null,
    string? Decision = null,
    string? Rule = null);
