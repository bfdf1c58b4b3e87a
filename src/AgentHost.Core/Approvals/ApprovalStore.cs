using System.Security.Cryptography;
using System.Text.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Policies;
using AgentHost.Core.Storage;
using System.Data.Common;

namespace AgentHost.Core.Approvals;

/// <summary>Approvals and their votes. Every state change is one conditional update, so a duplicate or late decision changes nothing.</summary>
public sealed class ApprovalStore(StoreDatabase database, TimeProvider time)
{
    private const string Columns = "id, run_id, agent_id, owner, call_id, function, arguments, rules, approver_group, required, status, created_at, expires_at, resumed, taint, arguments_sha256, approver_groups";

    // Who asked for and who started the run come from the run itself, so they cannot disagree with it.
    private const string SelectColumns = Columns + ", (SELECT requester FROM runs WHERE runs.id = approvals.run_id), (SELECT started_by FROM runs WHERE runs.id = approvals.run_id)";

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
        await using (var connection = await database.OpenAsync(cancellationToken))
        using (var insert = connection.CreateCommand())
        {
            insert.CommandText = $"INSERT INTO approvals ({Columns}) VALUES (@id, @run, @agent, @owner, @call, @function, @arguments, @rules, @group, @required, 'pending', @now, @expires, 0, @taint, @sha, @groups) ON CONFLICT (run_id, call_id) DO NOTHING";
            insert.AddParameter("@id", "ap_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
            insert.AddParameter("@run", runId);
            insert.AddParameter("@agent", agentId);
            insert.AddParameter("@owner", ApproverIdentity.Canonical(owner));
            insert.AddParameter("@call", callId);
            insert.AddParameter("@function", function);
            insert.AddParameter("@arguments", arguments);
            insert.AddParameter("@rules", JsonSerializer.Serialize(rules));
            insert.AddParameter("@group", group);
            insert.AddParameter("@required", required);
            insert.AddParameter("@now", StoreTime.ToMicroseconds(now));
            insert.AddParameter("@expires", StoreTime.ToMicroseconds(now + timeout));
            insert.AddParameter("@taint", JsonSerializer.Serialize(taintSources));
            insert.AddParameter("@sha", argumentsSha256);
            insert.AddParameter("@groups", JsonSerializer.Serialize(groups));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return (await QueryAsync("WHERE run_id = @a AND call_id = @b", cancellationToken, runId, callId))[0];
    }

    /// <summary>How many approvals an agent asked for since a moment, and when the oldest was (hourly limits).</summary>
    public Task<(int Count, DateTimeOffset? Oldest)> CreatedSinceAsync(string agentId, DateTimeOffset since, CancellationToken cancellationToken) =>
        CreatedSince.CountAsync(database, "approvals", agentId, since, cancellationToken);

    public async Task<Approval?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var found = await QueryAsync("WHERE id = @a", cancellationToken, id);
        return found.Count == 0 ? null : found[0];
    }

    public Task<IReadOnlyList<Approval>> ListAsync(string? status, CancellationToken cancellationToken) =>
        status is null ? QueryAsync("ORDER BY created_at DESC LIMIT 500", cancellationToken) : QueryAsync("WHERE status = @a ORDER BY created_at DESC LIMIT 500", cancellationToken, status);

    public Task<IReadOnlyList<Approval>> PendingForAgentAsync(string agentId, CancellationToken cancellationToken) =>
        QueryAsync("WHERE agent_id = @a AND status = 'pending'", cancellationToken, agentId);

    public async Task<Approval?> ForCallAsync(string runId, string callId, CancellationToken cancellationToken)
    {
        var found = await QueryAsync("WHERE run_id = @a AND call_id = @b", cancellationToken, runId, callId);
        return found.Count == 0 ? null : found[0];
    }

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
            await ExecuteAsync(connection, transaction, "SELECT 1 FROM approvals WHERE id = @a FOR UPDATE", cancellationToken, id);
        }

        var approval = (await QueryAsync(connection, transaction, "WHERE id = @a", cancellationToken, id)).SingleOrDefault();
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

        await ExecuteAsync(connection, transaction, "INSERT INTO approval_votes (approval_id, approver, decision, comment, at) VALUES (@a, @b, @c, @d, @e)", cancellationToken, id, approver, approve ? "approve" : "reject", comment, now);
        var outcome = !approve ? VoteOutcome.Rejected
            : ApprovalTally.Count(approval, isInGroup, withApproveVoteOf: approver).Satisfied ? VoteOutcome.Approved
            : VoteOutcome.Counted;
        if (outcome != VoteOutcome.Counted)
        {
            await ExecuteAsync(connection, transaction, "UPDATE approvals SET status = @a WHERE id = @b AND status = 'pending'", cancellationToken, outcome == VoteOutcome.Approved ? ApprovalStatus.Approved : ApprovalStatus.Rejected, id);
        }

        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    /// <summary>Expires a pending approval whose time is up; false if it was decided first.</summary>
    public async Task<bool> ExpireAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "UPDATE approvals SET status = 'expired' WHERE id = @a AND status = 'pending' AND expires_at <= @b", cancellationToken, id, StoreTime.ToMicroseconds(time.GetUtcNow())) == 1;
    }

    /// <summary>When the next pending approval runs out, if any is pending.</summary>
    public async Task<DateTimeOffset?> NextExpiryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(expires_at) FROM approvals WHERE status = 'pending'";
        return await command.ExecuteScalarAsync(cancellationToken) is long micros ? StoreTime.FromMicroseconds(micros) : null;
    }

    /// <summary>Pending approvals whose time is up, oldest deadline first.</summary>
    public async Task<IReadOnlyList<string>> DueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM approvals WHERE status = 'pending' AND expires_at <= @now ORDER BY expires_at LIMIT @limit";
        command.AddParameter("@now", StoreTime.ToMicroseconds(now));
        command.AddParameter("@limit", limit);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<int> CancelPendingForRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "UPDATE approvals SET status = 'cancelled' WHERE run_id = @a AND status = 'pending'", cancellationToken, runId);
    }

    /// <summary>Claims the right to resume the run of a settled approval; true exactly once.</summary>
    public async Task<bool> ClaimResumeAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "UPDATE approvals SET resumed = 1 WHERE id = @a AND resumed = 0 AND status IN ('approved', 'rejected', 'expired')", cancellationToken, id) == 1;
    }

    /// <summary>Settled approvals whose run has not been resumed yet (a restart came in between).</summary>
    public Task<IReadOnlyList<Approval>> SettledNotResumedAsync(CancellationToken cancellationToken) =>
        QueryAsync("WHERE resumed = 0 AND status IN ('approved', 'rejected', 'expired')", cancellationToken);

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params object?[] values)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.AddParameter("@" + (char)('a' + i), values[i] ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<Approval>> QueryAsync(string where, CancellationToken cancellationToken, params object[] values)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await QueryAsync(connection, null, where, cancellationToken, values);
    }

    private static async Task<IReadOnlyList<Approval>> QueryAsync(DbConnection connection, DbTransaction? transaction, string where, CancellationToken cancellationToken, params object[] values)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {SelectColumns} FROM approvals {where}";
        for (var i = 0; i < values.Length; i++)
        {
            command.AddParameter("@" + (char)('a' + i), values[i]);
        }

        var rows = new List<Approval>();
        await using (var r = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                rows.Add(new Approval(
                    r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
                    JsonSerializer.Deserialize<string[]>(r.GetString(7))!, r.GetString(8), r.GetInt32(9), r.GetString(10),
                    StoreTime.FromMicroseconds(r.GetInt64(11)), StoreTime.FromMicroseconds(r.GetInt64(12)), r.GetInt64(13) == 1, [],
                    JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(14)),
                    r.IsDBNull(15) ? null : r.GetString(15),
                    r.IsDBNull(16) ? null : JsonSerializer.Deserialize<ApprovalGroup[]>(r.GetString(16)),
                    r.IsDBNull(17) ? null : r.GetString(17),
                    r.IsDBNull(18) ? null : r.GetString(18)));
            }
        }

        var result = new List<Approval>(rows.Count);
        foreach (var approval in rows)
        {
            using var votes = connection.CreateCommand();
            votes.Transaction = transaction;
            votes.CommandText = "SELECT approver, decision, comment, at FROM approval_votes WHERE approval_id = @id ORDER BY at";
            votes.AddParameter("@id", approval.Id);
            var list = new List<ApprovalVote>();
            await using var v = await votes.ExecuteReaderAsync(cancellationToken);
            while (await v.ReadAsync(cancellationToken))
            {
                list.Add(new ApprovalVote(v.GetString(0), v.GetString(1), v.IsDBNull(2) ? null : v.GetString(2), StoreTime.FromMicroseconds(v.GetInt64(3))));
            }

            result.Add(approval with { Votes = list });
        }

        return result;
    }
}
