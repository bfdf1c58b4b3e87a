using AgentHost.Core.Storage;

namespace AgentHost.Core.Notifications;

/// <summary>
/// What the platform told people, so that nothing is told twice: the messages posted for an approval, and
/// where a run was asked for so its outcome is answered there once. What it heard is in InboundEventLog.
/// </summary>
public sealed class NotificationStore(StoreDatabase database)
{
    /// <summary>Remembers a posted approval message by where it was sent (a channel, or a person for a DM).</summary>
    public Task AddApprovalMessageAsync(string approvalId, string destination, MessageRef message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return database.ExecuteAsync(
            "INSERT INTO approval_messages (approval_id, destination, channel, ts) VALUES (@approvalId, @destination, @channel, @ts) ON CONFLICT DO NOTHING",
            new { approvalId, destination, channel = message.Channel, ts = message.Ts },
            cancellationToken);
    }

    public async Task<IReadOnlyList<(string Destination, MessageRef Message)>> ApprovalMessagesAsync(string approvalId, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<MessageRow>(
            $"SELECT destination, channel, ts FROM approval_messages WHERE approval_id = @approvalId ORDER BY {database.InsertionOrder}",
            new { approvalId },
            cancellationToken)).Select(r => (r.Destination, new MessageRef(r.Channel, r.Ts)))];

    /// <summary>Pending approvals nobody was told about yet (the host stopped before posting).</summary>
    public Task<IReadOnlyList<string>> UnpostedPendingApprovalsAsync(CancellationToken cancellationToken) =>
        database.QueryAsync<string>(
            "SELECT a.id FROM approvals a WHERE a.status = @pending AND NOT EXISTS (SELECT 1 FROM approval_messages m WHERE m.approval_id = a.id)",
            new { pending = Approvals.ApprovalStatus.Pending.ToText() },
            cancellationToken);

    public Task SetRunOriginAsync(string runId, string source, MessageRef thread, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return database.ExecuteAsync(
            "INSERT INTO run_origins (run_id, source, channel, thread) VALUES (@runId, @source, @channel, @thread) ON CONFLICT DO NOTHING",
            new { runId, source, channel = thread.Channel, thread = thread.Ts },
            cancellationToken);
    }

    /// <summary>The thread to answer a run's outcome in, claimed once: a second caller gets null.</summary>
    public async Task<MessageRef?> ClaimReplyAsync(string runId, string source, CancellationToken cancellationToken) =>
        await database.QuerySingleOrDefaultAsync<ThreadRow>(
            "UPDATE run_origins SET replied = 1 WHERE run_id = @runId AND source = @source AND replied = 0 RETURNING channel, thread",
            new { runId, source },
            cancellationToken) is { } row ? new MessageRef(row.Channel, row.Thread) : null;

    private sealed record MessageRow
    {
        public string Destination { get; init; } = "";
        public string Channel { get; init; } = "";
        public string Ts { get; init; } = "";
    }

    private sealed record ThreadRow
    {
        public string Channel { get; init; } = "";
        public string Thread { get; init; } = "";
    }
}
