using System.Text.Json;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Approvals;

/// <summary>
/// One row of the approvals query: an approval, the run columns it shows, and one of its votes (null
/// columns when it has none). Rows of one approval arrive together; <see cref="Group"/> folds them.
/// </summary>
internal sealed record ApprovalRow
{
    public const string Columns = "id, run_id, agent_id, owner, call_id, function, arguments, rules, approver_group, required, status, created_at, expires_at, resumed, taint, arguments_sha256, approver_groups, decided_at, remind_at, escalate_to, escalated_at";

    public string Id { get; init; } = "";
    public string RunId { get; init; } = "";
    public string AgentId { get; init; } = "";
    public string Owner { get; init; } = "";
    public string CallId { get; init; } = "";
    public string Function { get; init; } = "";
    public string Arguments { get; init; } = "";
    public string Rules { get; init; } = "[]";
    public string ApproverGroup { get; init; } = "";
    public long Required { get; init; }
    public string Status { get; init; } = "";
    public long CreatedAt { get; init; }
    public long ExpiresAt { get; init; }
    public long Resumed { get; init; }
    public string Taint { get; init; } = "{}";
    public string? ArgumentsSha256 { get; init; }
    public string? ApproverGroups { get; init; }
    public long? DecidedAt { get; init; }
    public long? RemindAt { get; init; }
    public string? EscalateTo { get; init; }
    public long? EscalatedAt { get; init; }
    public string? RunRequester { get; init; }
    public string? RunStartedBy { get; init; }
    public string? RunInput { get; init; }
    public string? AgentDefinition { get; init; }
    public string? VoteApprover { get; init; }
    public string? VoteDecision { get; init; }
    public string? VoteComment { get; init; }
    public long? VoteAt { get; init; }

    /// <summary>Folds the rows (approval × vote) into listings, in the order the approvals first appear.</summary>
    public static IReadOnlyList<ApprovalListing> Group(IEnumerable<ApprovalRow> rows)
    {
        var order = new List<string>();
        var byId = new Dictionary<string, (ApprovalRow First, List<ApprovalVote> Votes)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!byId.TryGetValue(row.Id, out var entry))
            {
                entry = (row, []);
                byId[row.Id] = entry;
                order.Add(row.Id);
            }

            if (row.VoteApprover is not null)
            {
                entry.Votes.Add(new ApprovalVote(row.VoteApprover, row.VoteDecision!, row.VoteComment, StoreTime.FromMicroseconds(row.VoteAt!.Value)));
            }
        }

        return [.. order.Select(id => byId[id]).Select(e => new ApprovalListing(e.First.ToApproval(e.Votes), e.First.AgentName(), e.First.RunInput))];
    }

    private Approval ToApproval(IReadOnlyList<ApprovalVote> votes) => new(
        Id, RunId, AgentId, Owner, CallId, Function, Arguments, JsonSerializer.Deserialize<string[]>(Rules)!, ApproverGroup, checked((int)Required), SnakeCase.Parse<ApprovalStatus>(Status),
        StoreTime.FromMicroseconds(CreatedAt), StoreTime.FromMicroseconds(ExpiresAt), Resumed == 1, votes,
        JsonSerializer.Deserialize<Dictionary<string, string>>(Taint), ArgumentsSha256,
        ApproverGroups is null ? null : JsonSerializer.Deserialize<ApprovalGroup[]>(ApproverGroups),
        RunRequester, RunStartedBy, StoreTime.FromMicroseconds(DecidedAt),
        RemindAt is null ? null : StoreTime.FromMicroseconds(RemindAt.Value), EscalateTo,
        EscalatedAt is null ? null : StoreTime.FromMicroseconds(EscalatedAt.Value));

    // The agent's display name is one field of its stored definition (camelCase JSON, as the agent store writes it).
    private string? AgentName()
    {
        if (AgentDefinition is null)
        {
            return null;
        }

        using var definition = JsonDocument.Parse(AgentDefinition);
        return definition.RootElement.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
    }
}
