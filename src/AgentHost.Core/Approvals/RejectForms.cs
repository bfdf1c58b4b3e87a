using AgentHost.Core.Storage;

namespace AgentHost.Core.Approvals;

/// <summary>A form opened to ask one Slack user why they reject one approval (Slack's view id names it).</summary>
public sealed record RejectForm(string ViewId, string ApprovalId, string SlackUser, string Channel);

/// <summary>
/// The reject forms opened in Slack. A submission is believed only as far as it matches what was opened
/// here: the same view, approval and person, submitted once. Whatever the submission itself claims
/// (its private_metadata) is compared with this record, never trusted.
/// </summary>
public sealed class RejectForms(StoreDatabase database, TimeProvider time)
{
    public Task AddAsync(RejectForm form, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(form);
        return database.ExecuteAsync(
            "INSERT INTO approval_reject_forms (view_id, approval_id, slack_user, channel, opened_at) VALUES (@ViewId, @ApprovalId, @SlackUser, @Channel, @now) ON CONFLICT DO NOTHING",
            new { form.ViewId, form.ApprovalId, form.SlackUser, form.Channel, now = StoreTime.ToMicroseconds(time.GetUtcNow()) },
            cancellationToken);
    }

    /// <summary>The form as opened, if it was.</summary>
    public async Task<RejectForm?> GetAsync(string viewId, CancellationToken cancellationToken) =>
        await database.QuerySingleOrDefaultAsync<Row>(
            "SELECT view_id, approval_id, slack_user, channel FROM approval_reject_forms WHERE view_id = @viewId",
            new { viewId },
            cancellationToken) is { } row ? new RejectForm(row.ViewId, row.ApprovalId, row.SlackUser, row.Channel) : null;

    /// <summary>Marks the form submitted; true exactly once, so a replayed submission is refused.</summary>
    public async Task<bool> ClaimSubmissionAsync(string viewId, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE approval_reject_forms SET submitted_at = @now WHERE view_id = @viewId AND submitted_at IS NULL",
            new { viewId, now = StoreTime.ToMicroseconds(time.GetUtcNow()) },
            cancellationToken) == 1;

    private sealed record Row
    {
        public string ViewId { get; init; } = "";
        public string ApprovalId { get; init; } = "";
        public string SlackUser { get; init; } = "";
        public string Channel { get; init; } = "";
    }
}
