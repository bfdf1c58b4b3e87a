using System.ComponentModel.DataAnnotations;
using AgentHost.Core.Audit;
using AgentHost.Hosting;

namespace AgentHost.Audit;

/// <summary>
/// GET /api/audit: the filter, then a page of at most limit events: in sequence order after the cursor
/// "after", or with order=desc newest first below the cursor "before" (nextCursor is then the next "before").
/// </summary>
public sealed record AuditSearchQuery(
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? RunId,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? AgentId,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Actor,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Type,
    [property: IsoTime] string? From,
    [property: IsoTime] string? To,
    [property: StringLength(AuditTextQuery.MaxLength, ErrorMessage = AuditQueries.TextTooLong)] string? Q,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong), Person] string? Person,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Agent,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Function,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Decision,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Rule,
    [property: WholeNumber] string? After,
    [property: WholeNumber] string? Before,
    [property: RegularExpression("^(asc|desc)$", ErrorMessage = "must be asc or desc")] string? Order,
    [property: WholeNumber(1, AuditReader.MaxPageSize)] string? Limit)
{
    /// <summary>A method, not a property: validation walks properties, and this one reads only valid text.</summary>
    public AuditFilter ToFilter() => AuditQueries.Filter(RunId, AgentId, Actor, Type, From, To, Q, Person, Agent, Function, Decision, Rule);
}

/// <summary>GET /api/audit/export: the same filter, as JSON Lines (with checkpoints) or CSV.</summary>
public sealed record AuditExportQuery(
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? RunId,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? AgentId,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Actor,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Type,
    [property: IsoTime] string? From,
    [property: IsoTime] string? To,
    [property: StringLength(AuditTextQuery.MaxLength, ErrorMessage = AuditQueries.TextTooLong)] string? Q,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong), Person] string? Person,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Agent,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Function,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Decision,
    [property: StringLength(256, ErrorMessage = AuditQueries.TooLong)] string? Rule,
    [property: RegularExpression("^(jsonl|csv)$", ErrorMessage = "must be jsonl or csv")] string? Format)
{
    /// <summary>A method, not a property: validation walks properties, and this one reads only valid text.</summary>
    public AuditFilter ToFilter() => AuditQueries.Filter(RunId, AgentId, Actor, Type, From, To, Q, Person, Agent, Function, Decision, Rule);
}

/// <summary>GET /api/audit/proof/inclusion: event seq in the tree of the given size (default: the whole log).</summary>
public sealed record InclusionQuery(
    [property: Required(ErrorMessage = AuditQueries.Required), WholeNumber(1)] string? Seq,
    [property: WholeNumber(1)] string? Size);

/// <summary>GET /api/audit/proof/consistency: the tree of size from against the tree of size to (default: the whole log).</summary>
public sealed record ConsistencyQuery(
    [property: Required(ErrorMessage = AuditQueries.Required), WholeNumber] string? From,
    [property: WholeNumber] string? To);

/// <summary>GET /api/audit/checkpoints: at most limit checkpoints of at least minSize events.</summary>
public sealed record CheckpointQuery(
    [property: WholeNumber(1, AuditReader.MaxPageSize)] string? Limit,
    [property: WholeNumber] string? MinSize);

internal static class AuditQueries
{
    public const string TooLong = "at most 256 characters";
    public const string TextTooLong = "at most 500 characters";
    public const string Required = "is required";
    public const int DefaultPageSize = 100;

    /// <summary>The filter of the search and the export alike, from their validated text.</summary>
    public static AuditFilter Filter(string? runId, string? agentId, string? actor, string? type, string? from, string? to, string? q, string? person, string? agent, string? function, string? decision, string? rule) =>
        new(
            QueryValues.Text(runId),
            QueryValues.Text(agentId),
            QueryValues.Text(actor),
            QueryValues.Text(type),
            QueryValues.Time(from),
            QueryValues.Time(to),
            QueryValues.Text(q),
            QueryValues.Text(person),
            QueryValues.Text(agent),
            QueryValues.Text(function),
            QueryValues.Text(decision),
            QueryValues.Text(rule));
}
