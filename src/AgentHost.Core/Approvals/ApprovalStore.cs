using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using AgentHost.Core.Policies;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;
using Dapper;

namespace AgentHost.Core.Approvals;

/// <summary>
/// Approvals and their votes. Every state change is one conditional update, so a duplicate or late
/// decision changes nothing. Who asked for and who started the run are read from the run itself (a join),
/// so they cannot disagree with it; votes come in the same query.
/// </summary>
public sealed class ApprovalStore(StoreDatabase database, TimeProvider time)
{
    /// <summary>The most approvals a list returns.</summary>
    public const int MaxListed = 500;

    // The settled states, bound by name (@approved, @rejected, @expired) wherever they are tested.
    private const string Settled = "(@approved, @rejected, @expired)";

    /// <summary>
    /// Creates the approval of a parked call, or returns the one that already exists for it. Every group in
    /// <paramref name="requirements"/> must approve (they arrive merged per group); the approval expires at
    /// the shortest timeout among them.
    /// </summary>
    public async Task<Approval> CreateAsync(string runId, string agentId, string owner, string callId, string function, string arguments, IReadOnlyList<string> rules, IReadOnlyList<ApprovalRequirement> requirements, IReadOnlyDictionary<string, string> taintSources, string argumentsSha256, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requirements);
        if (requirements.Count == 0 || requirements.Any(r => r.Count < 1 || string.IsNullOrWhiteSpace(r.Group)))
        {
            throw new ArgumentException("an approval needs at least one group, each with a count of at least 1", nameof(requirements));
        }

        var groups = requirements.Select(r => new ApprovalGroup(r.Group, r.Count)).ToList();
        var timeout = requirements.Min(r => r.Timeout);

        // The columns of one group stay filled for readers of old rows; with several groups they name no
        // real group ("a+b"), so a reader that knows only those columns lets nobody approve: it fails closed.
        var group = string.Join("+", groups.Select(g => g.Group));
        var required = groups.Sum(g => g.Count);
        var now = time.GetUtcNow();

        // The undecided are reminded once, half way to the deadline; the first fallback group named takes over at it.
        var escalateTo = requirements.Select(r => r.EscalateTo).FirstOrDefault(e => e is not null);
        await database.ExecuteAsync(
            $"INSERT INTO approvals ({ApprovalRow.Columns}) VALUES (@id, @runId, @agentId, @owner, @callId, @function, @arguments, @rules, @group, @required, @pending, @now, @expires, 0, @taint, @argumentsSha256, @groups, NULL, @remindAt, @escalateTo, NULL) ON CONFLICT (run_id, call_id) DO NOTHING",
            new
            {
                id = "ap_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
                runId,
                agentId,
                owner = ApproverIdentity.Canonical(owner),
                callId,
                function,
                arguments,
                rules = JsonSerializer.Serialize(rules),
                group,
                required,
                pending = ApprovalStatus.Pending.ToText(),
                now = StoreTime.ToMicroseconds(now),
                expires = StoreTime.ToMicroseconds(now + timeout),
                taint = JsonSerializer.Serialize(taintSources),
                argumentsSha256,
                groups = JsonSerializer.Serialize(groups),
                remindAt = StoreTime.ToMicroseconds(now + (timeout / 2)),
                escalateTo,
            },
            cancellationToken);
        return (await QueryAsync("WHERE run_id = @runId AND call_id = @callId", new { runId, callId }, cancellationToken))[0];
    }

    /// <summary>How many approvals an agent asked for since a moment, and when the oldest was (hourly limits).</summary>
    public Task<(int Count, DateTimeOffset? Oldest)> CreatedSinceAsync(string agentId, DateTimeOffset since, CancellationToken cancellationToken) =>
        CreatedSince.CountAsync(database, "approvals", agentId, since, cancellationToken);

    public async Task<Approval?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE id = @id", new { id }, cancellationToken)).SingleOrDefault();

    public Task<IReadOnlyList<Approval>> ListAsync(ApprovalStatus? status, CancellationToken cancellationToken) =>
        QueryAsync(ListWhere(status), new { status = status?.ToText() }, cancellationToken);

    /// <summary>
    /// The newest approvals with the agent's name and the run's request beside each (the inbox): one
    /// query however many approvals and votes there are.
    /// </summary>
    public async Task<IReadOnlyList<ApprovalListing>> ListWithContextAsync(ApprovalStatus? status, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, ListWhere(status), new { status = status?.ToText() }, withContext: true, cancellationToken);
    }

    /// <summary>The approvals of one run (its page shows them beside the calls), in one query.</summary>
    public Task<IReadOnlyList<Approval>> ForRunAsync(string runId, CancellationToken cancellationToken) =>
        QueryAsync("WHERE run_id = @runId", new { runId }, cancellationToken);

    public Task<IReadOnlyList<Approval>> PendingForAgentAsync(string agentId, CancellationToken cancellationToken) =>
        QueryAsync("WHERE agent_id = @agentId AND status = @pending", new { agentId, pending = ApprovalStatus.Pending.ToText() }, cancellationToken);

    public async Task<Approval?> ForCallAsync(string runId, string callId, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE run_id = @runId AND call_id = @callId", new { runId, callId }, cancellationToken)).SingleOrDefault();

    /// <summary>
    /// Records one approver's decision and settles the approval: one reject rejects; it is approved when
    /// every group has its count of distinct people (<see cref="ApprovalTally"/>, membership by <paramref name="isInGroup"/>).
    /// </summary>
    public async Task<VoteOutcome> VoteAsync(string id, string approver, bool approve, string? comment, Func<string, string, bool> isInGroup, CancellationToken cancellationToken)
    {
        approver = ApproverIdentity.Canonical(approver);
        var now = StoreTime.ToMicroseconds(time.GetUtcNow());
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (DbTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (database.Dialect == StoreDialect.Postgres)
        {
            // Votes on one approval queue up behind each other, as SQLite's single writer makes them do.
            await StoreDatabase.ExecuteAsync(transaction, new StoreWrite("SELECT 1 FROM approvals WHERE id = @id FOR UPDATE", new { id }), cancellationToken);
        }

        var approval = (await QueryAsync(connection, transaction, "WHERE id = @id", new { id }, withContext: false, cancellationToken)).SingleOrDefault()?.Approval;
        if (approval is null || approval.Status != ApprovalStatus.Pending || StoreTime.ToMicroseconds(approval.ExpiresAt) <= now)
        {
            return VoteOutcome.NotPending;
        }

        if (approval.Votes.Any(v => ApproverIdentity.Same(v.Approver, approver)))
        {
            return VoteOutcome.AlreadyVoted;
        }

        // The decider refused these already; this is the last line, inside the transaction that counts.
        if (approval.ExclusionOf(approver) is not null || !approval.RequiredGroups.Any(g => isInGroup(approver, g.Group)))
        {
            return VoteOutcome.NotEligible;
        }

        await StoreDatabase.ExecuteAsync(
            transaction,
            new StoreWrite(
                "INSERT INTO approval_votes (approval_id, approver, decision, comment, at) VALUES (@id, @approver, @decision, @comment, @now)",
                new { id, approver, decision = approve ? "approve" : "reject", comment, now }),
            cancellationToken);
        var outcome = !approve ? VoteOutcome.Rejected
            : ApprovalTally.Count(approval, isInGroup, withApproveVoteOf: approver).Satisfied ? VoteOutcome.Approved
            : VoteOutcome.Counted;
        if (outcome != VoteOutcome.Counted)
        {
            await StoreDatabase.ExecuteAsync(
                transaction,
                new StoreWrite(
                    "UPDATE approvals SET status = @status, decided_at = @now WHERE id = @id AND status = @pending",
                    new { id, status = (outcome == VoteOutcome.Approved ? ApprovalStatus.Approved : ApprovalStatus.Rejected).ToText(), pending = ApprovalStatus.Pending.ToText(), now }),
                cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>Expires a pending approval whose time is up; false if it was decided first.</summary>
    public async Task<bool> ExpireAsync(string id, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE approvals SET status = @expired, decided_at = @now WHERE id = @id AND status = @pending AND expires_at <= @now",
            new { id, expired = ApprovalStatus.Expired.ToText(), pending = ApprovalStatus.Pending.ToText(), now = StoreTime.ToMicroseconds(time.GetUtcNow()) },
            cancellationToken) == 1;

    /// <summary>When the next pending approval runs out or its reminder is due, if any is pending.</summary>
    public async Task<DateTimeOffset?> NextExpiryAsync(CancellationToken cancellationToken)
    {
        var pending = new { pending = ApprovalStatus.Pending.ToText() };
        var expiry = await database.ScalarAsync<long?>("SELECT MIN(expires_at) FROM approvals WHERE status = @pending", pending, cancellationToken);
        var reminder = await database.ScalarAsync<long?>("SELECT MIN(remind_at) FROM approvals WHERE status = @pending AND remind_at IS NOT NULL", pending, cancellationToken);
        return StoreTime.FromMicroseconds(expiry is null ? reminder : reminder is null ? expiry : Math.Min(expiry.Value, reminder.Value));
    }

    /// <summary>Pending approvals whose reminder is due, oldest first.</summary>
    public Task<IReadOnlyList<string>> RemindersDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        database.QueryAsync<string>(
            "SELECT id FROM approvals WHERE status = @pending AND remind_at IS NOT NULL AND remind_at <= @now ORDER BY remind_at LIMIT @limit",
            new { pending = ApprovalStatus.Pending.ToText(), now = StoreTime.ToMicroseconds(now), limit },
            cancellationToken);

    /// <summary>
    /// Claims the reminder of a pending approval whose time has come; true for exactly one caller, however
    /// many workers sweep at once (the reminder is cleared by the same conditional update).
    /// </summary>
    public async Task<bool> ClaimReminderAsync(string id, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE approvals SET remind_at = NULL WHERE id = @id AND status = @pending AND remind_at IS NOT NULL AND remind_at <= @now",
            new { id, pending = ApprovalStatus.Pending.ToText(), now = StoreTime.ToMicroseconds(time.GetUtcNow()) },
            cancellationToken) == 1;

    /// <summary>
    /// Hands a pending approval whose time is up to its fallback group, once: one approval of that group
    /// decides it, within a fresh window as long as the first, with its own reminder half way. False if
    /// it has no fallback, escalated already, was decided first or its time is not up.
    /// </summary>
    public async Task<bool> EscalateAsync(Approval approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(approval);
        if (approval.EscalateTo is not { } group)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var window = approval.ExpiresAt - approval.CreatedAt;
        return await database.ExecuteAsync(
            "UPDATE approvals SET approver_groups = @groups, approver_group = @group, required = 1, expires_at = @expires, remind_at = @remindAt, escalated_at = @now "
                + "WHERE id = @id AND status = @pending AND expires_at <= @now AND escalate_to = @group AND escalated_at IS NULL",
            new
            {
                id = approval.Id,
                group,
                groups = JsonSerializer.Serialize(new[] { new ApprovalGroup(group, 1) }),
                expires = StoreTime.ToMicroseconds(now + window),
                remindAt = StoreTime.ToMicroseconds(now + (window / 2)),
                now = StoreTime.ToMicroseconds(now),
                pending = ApprovalStatus.Pending.ToText(),
            },
            cancellationToken) == 1;
    }

    /// <summary>Claims the right to tell something about an approval once (kind: "owner:rejected", ...); true exactly once.</summary>
    public async Task<bool> ClaimNoticeAsync(string id, string kind, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "INSERT INTO approval_notices (approval_id, kind, at) VALUES (@id, @kind, @now) ON CONFLICT DO NOTHING",
            new { id, kind, now = StoreTime.ToMicroseconds(time.GetUtcNow()) },
            cancellationToken) == 1;

    /// <summary>Gives a claimed notice back when telling failed, so that a retry tells it.</summary>
    public Task ReleaseNoticeAsync(string id, string kind, CancellationToken cancellationToken) =>
        database.ExecuteAsync("DELETE FROM approval_notices WHERE approval_id = @id AND kind = @kind", new { id, kind }, cancellationToken);

    /// <summary>Pending approvals whose time is up, oldest deadline first.</summary>
    public Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        database.QueryAsync<string>(
            "SELECT id FROM approvals WHERE status = @pending AND expires_at <= @now ORDER BY expires_at LIMIT @limit",
            new { pending = ApprovalStatus.Pending.ToText(), now = StoreTime.ToMicroseconds(now), limit },
            cancellationToken);

    /// <summary>Cancels the pending approvals of a stopped run, stamped with the moment it happened (not their expiry).</summary>
    public Task<int> CancelPendingForRunAsync(string runId, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "UPDATE approvals SET status = @cancelled, decided_at = @now WHERE run_id = @runId AND status = @pending",
            new { runId, cancelled = ApprovalStatus.Cancelled.ToText(), pending = ApprovalStatus.Pending.ToText(), now = StoreTime.ToMicroseconds(time.GetUtcNow()) },
            cancellationToken);

    /// <summary>
    /// Claims the right to resume the run of a settled approval and moves the run back to running
    /// (<paramref name="resumeRun"/>, <see cref="Runs.RunStore.ResumeWrite"/>) in one transaction: true exactly once.
    /// Two separate writes would let a worker killed between them mark the approval used while the run
    /// still shows awaiting_approval, with no lease for recovery to notice: it would wait for ever.
    /// </summary>
    public async Task<bool> ClaimResumeAsync(string id, StoreWrite resumeRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resumeRun);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (DbTransaction)await connection.BeginTransactionAsync(cancellationToken);

        // Only once the run has parked: a decision that beats the park (an approver quick to click) must not
        // use up the resumption on a run still running, or the run parks afterwards and waits forever.
        var claim = new StoreWrite(
            $"UPDATE approvals SET resumed = 1 WHERE id = @id AND resumed = 0 AND status IN {Settled} "
                + "AND EXISTS (SELECT 1 FROM runs WHERE runs.id = approvals.run_id AND runs.status = @parked)",
            new { id, approved = ApprovalStatus.Approved.ToText(), rejected = ApprovalStatus.Rejected.ToText(), expired = ApprovalStatus.Expired.ToText(), parked = RunStatus.AwaitingApproval.ToText() });
        if (await StoreDatabase.ExecuteAsync(transaction, claim, cancellationToken) != 1
            || await StoreDatabase.ExecuteAsync(transaction, resumeRun, cancellationToken) != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Settled approvals whose run has not been resumed yet (a restart came in between).</summary>
    public Task<IReadOnlyList<Approval>> SettledNotResumedAsync(CancellationToken cancellationToken) =>
        QueryAsync($"WHERE resumed = 0 AND status IN {Settled}", new { approved = ApprovalStatus.Approved.ToText(), rejected = ApprovalStatus.Rejected.ToText(), expired = ApprovalStatus.Expired.ToText() }, cancellationToken);

    private static string ListWhere(ApprovalStatus? status) =>
        (status is null ? string.Empty : "WHERE status = @status ") + $"ORDER BY created_at DESC LIMIT {MaxListed}";

    private async Task<IReadOnlyList<Approval>> QueryAsync(string where, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return [.. (await QueryAsync(connection, null, where, parameters, withContext: false, cancellationToken)).Select(l => l.Approval)];
    }

    /// <summary>
    /// Approvals matching <paramref name="where"/> (a WHERE, ORDER BY and LIMIT over approvals alone), each
    /// joined with its run and its votes in the same query: one round trip for a list of any length.
    /// </summary>
    private static async Task<IReadOnlyList<ApprovalListing>> QueryAsync(DbConnection connection, DbTransaction? transaction, string where, object parameters, bool withContext, CancellationToken cancellationToken)
    {
        var context = withContext ? ", r.input AS run_input, g.definition AS agent_definition" : string.Empty;
        var agents = withContext ? " LEFT JOIN agents g ON g.id = a.agent_id" : string.Empty;
        var sql = $"SELECT a.*, r.requester AS run_requester, r.started_by AS run_started_by{context}, "
            + "v.approver AS vote_approver, v.decision AS vote_decision, v.comment AS vote_comment, v.at AS vote_at "
            + $"FROM (SELECT {ApprovalRow.Columns} FROM approvals {where}) a "
            + $"LEFT JOIN runs r ON r.id = a.run_id{agents} LEFT JOIN approval_votes v ON v.approval_id = a.id "
            + "ORDER BY a.created_at DESC, a.id, v.at";
        var rows = await connection.QueryAsync<ApprovalRow>(StoreDatabase.Command(sql, parameters, transaction, cancellationToken));
        return ApprovalRow.Group(rows);
    }
}
