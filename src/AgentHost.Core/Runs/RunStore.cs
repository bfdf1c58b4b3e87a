using System.Data.Common;
using System.Security.Cryptography;
using AgentHost.Core.Storage;
using AgentHost.Core.Tools;
using Dapper;

namespace AgentHost.Core.Runs;

/// <summary>Runs, their persisted chat history and their tool calls: the store is the truth, jobs only execute.</summary>
public sealed partial class RunStore(StoreDatabase database, TimeProvider time, RunLease? lease = null)
{
    private readonly RunLease _lease = lease ?? RunLease.ForThisProcess();

    private const string SelectRuns = $"SELECT {RunRow.Columns} FROM runs r";

    /// <summary>A run nobody started by hand (a schedule); its requester is the agent's owner.</summary>
    public Task<Run> CreateAsync(string agentId, string requester, string input, CancellationToken cancellationToken) =>
        CreateAsync(agentId, requester, input, startedBy: null, cancellationToken);

    /// <summary>
    /// A run <paramref name="startedBy"/> triggered (signed in to the API or web, or mentioning the bot in
    /// Slack): that person, like the requester and the owner, never approves what the run asks for.
    /// </summary>
    public Task<Run> CreateAsync(string agentId, string requester, string input, string? startedBy, CancellationToken cancellationToken) =>
        CreateAsync(agentId, requester, input, startedBy, dryRun: false, cancellationToken);

    /// <summary>As above; a <paramref name="dryRun"/> decides its writes without executing them ("Test run").</summary>
    public async Task<Run> CreateAsync(string agentId, string requester, string input, string? startedBy, bool dryRun, CancellationToken cancellationToken)
    {
        var run = NewRun(agentId, requester, input, time.GetUtcNow()) with { StartedBy = startedBy is null ? null : EmailAddressText.Canonical(startedBy), DryRun = dryRun };
        var insert = InsertWrite(run);
        return run with { AgentVersion = await database.ScalarAsync<long?>(insert.Sql, insert.Parameters, cancellationToken) };
    }

    /// <summary>
    /// Creates a run for an inbound event unless that event already started one: the event's record, the
    /// run and <paramref name="alongside"/> (a trigger's cursor) commit together, so a crash or a second
    /// worker can neither start a second run for the event nor lose it. Null when the event was seen.
    /// </summary>
    public Task<Run?> CreateOnceAsync(string agentId, string requester, string input, string source, string eventId, StoreWrite? alongside, CancellationToken cancellationToken) =>
        CreateOnceAsync(agentId, requester, input, startedBy: null, source, eventId, alongside, cancellationToken);

    /// <summary>As above, for a run <paramref name="startedBy"/> triggered (a Slack mention).</summary>
    public async Task<Run?> CreateOnceAsync(string agentId, string requester, string input, string? startedBy, string source, string eventId, StoreWrite? alongside, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (DbTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var seen = new StoreWrite(
            "INSERT INTO inbound_events (source, event_id, received_at) VALUES (@source, @eventId, @now) ON CONFLICT DO NOTHING",
            new { source, eventId, now = StoreTime.ToMicroseconds(now) });
        if (await StoreDatabase.ExecuteAsync(transaction, seen, cancellationToken) == 0)
        {
            return null;
        }

        var run = NewRun(agentId, requester, input, now) with { StartedBy = startedBy is null ? null : EmailAddressText.Canonical(startedBy) };
        var insert = InsertWrite(run);
        run = run with { AgentVersion = await transaction.Connection!.ExecuteScalarAsync<long?>(StoreDatabase.Command(insert.Sql, insert.Parameters, transaction, cancellationToken)) };
        if (alongside is not null)
        {
            await StoreDatabase.ExecuteAsync(transaction, alongside, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return run;
    }

    public async Task<Run?> GetAsync(string id, CancellationToken cancellationToken) =>
        (await database.QuerySingleOrDefaultAsync<RunRow>($"{SelectRuns} WHERE r.id = @id", new { id }, cancellationToken))?.ToRun();

    /// <summary>Moves a run from queued to running; false if another job already took it or it ended.</summary>
    public async Task<bool> TryStartAsync(string id, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE runs SET status = @running, lease_owner = @owner, lease_until = @until WHERE id = @id AND status = @queued",
            new { id, owner = _lease.Owner, until = LeaseEnd(), running = RunStatus.Running.ToText(), queued = RunStatus.Queued.ToText() },
            cancellationToken) == 1;

    /// <summary>The run's turns, tokens and history as a write that rides in the audit writer's transaction of the same step.</summary>
    public static StoreWrite ProgressWrite(string id, int turns, long inputTokens, long outputTokens, string history) => new(
        "UPDATE runs SET turns = @turns, input_tokens = @inputTokens, output_tokens = @outputTokens, history = @history WHERE id = @id",
        new { turns, inputTokens, outputTokens, history, id });

    /// <summary>
    /// The write that moves a parked run back to running under this process's lease; it matches no row
    /// when the run was stopped meanwhile or already resumed. Committed with the approval's claim
    /// (<see cref="Approvals.ApprovalStore.ClaimResumeAsync"/>), never alone.
    /// </summary>
    public StoreWrite ResumeWrite(string id) => new(
        "UPDATE runs SET status = @running, lease_owner = @owner, lease_until = @until WHERE id = @id AND status = @parked",
        new { id, owner = _lease.Owner, until = LeaseEnd(), running = RunStatus.Running.ToText(), parked = RunStatus.AwaitingApproval.ToText() });

    /// <summary>A running run waits for approval; it holds no thread or job while it does. False if it was stopped meanwhile.</summary>
    public async Task<bool> ParkAsync(string id, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE runs SET status = @parked WHERE id = @id AND status = @running",
            new { id, parked = RunStatus.AwaitingApproval.ToText(), running = RunStatus.Running.ToText() },
            cancellationToken) == 1;

    /// <summary>
    /// Stops an unfinished run; returns the status it was stopped from (null if it had ended). Each try is
    /// one conditional update, so the caller knows for certain whether the run was parked (nobody executes
    /// it: its open calls are the caller's to close) or running (its executor closes them).
    /// </summary>
    public async Task<RunStatus?> StopAsync(string id, string reason, CancellationToken cancellationToken)
    {
        // A run moves queued → running → parked while this tries; three rounds cover every move.
        for (var round = 0; round < 3; round++)
        {
            foreach (var from in new[] { RunStatus.AwaitingApproval, RunStatus.Queued, RunStatus.Running })
            {
                if (await database.ExecuteAsync(
                    "UPDATE runs SET status = @stopped, stop_reason = @reason, finished_at = @now WHERE id = @id AND status = @from",
                    new { id, reason, from = from.ToText(), stopped = RunStatus.Stopped.ToText(), now = StoreTime.ToMicroseconds(time.GetUtcNow()) },
                    cancellationToken) == 1)
                {
                    return from;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Stopped runs of an agent that still have a call awaiting approval: parked when they were stopped, or
    /// stopped between an approval's decision and the resumption. Nobody executes them; their calls are
    /// to be closed (the kill switch). Reads the agent's runs and each one's calls by key.
    /// </summary>
    public Task<IReadOnlyList<string>> StoppedWithParkedCallsAsync(string agentId, CancellationToken cancellationToken) =>
        database.QueryAsync<string>(
            "SELECT r.id FROM runs r WHERE r.agent_id = @agentId AND r.status = @stopped AND EXISTS (SELECT 1 FROM run_tool_calls c WHERE c.run_id = r.id AND c.outcome = @parked)",
            new { agentId, stopped = RunStatus.Stopped.ToText(), parked = ToolCallOutcome.AwaitingApproval.ToText() },
            cancellationToken);

    /// <summary>Ends a run unless it already ended (a kill switch may have stopped it meanwhile).</summary>
    public async Task<bool> FinishAsync(string id, RunStatus status, string? output, string? stopReason, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE runs SET status = @status, output = @output, stop_reason = @stopReason, finished_at = @now WHERE id = @id AND status NOT IN (@succeeded, @failed, @stopped)",
            new { status = status.ToText(), output, stopReason, now = StoreTime.ToMicroseconds(time.GetUtcNow()), id, succeeded = RunStatus.Succeeded.ToText(), failed = RunStatus.Failed.ToText(), stopped = RunStatus.Stopped.ToText() },
            cancellationToken) == 1;

    /// <summary>The kill switch's part in the store: every unfinished run of the agent stops; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> StopUnfinishedAsync(string agentId, string reason, CancellationToken cancellationToken)
    {
        var ids = await database.QueryAsync<string>(
            "SELECT id FROM runs WHERE agent_id = @agentId AND status IN (@queued, @running, @parked)",
            new { agentId, queued = RunStatus.Queued.ToText(), running = RunStatus.Running.ToText(), parked = RunStatus.AwaitingApproval.ToText() },
            cancellationToken);
        foreach (var id in ids)
        {
            await FinishAsync(id, RunStatus.Stopped, null, reason, cancellationToken);
        }

        return ids;
    }

    public Task<IReadOnlyList<string>> QueuedAsync(CancellationToken cancellationToken) =>
        database.QueryAsync<string>("SELECT id FROM runs WHERE status = @queued ORDER BY created_at", new { queued = RunStatus.Queued.ToText() }, cancellationToken);

    public async Task<int> UnfinishedCountAsync(string agentId, CancellationToken cancellationToken) =>
        (int)await database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM runs WHERE agent_id = @agentId AND status IN (@queued, @running)",
            new { agentId, queued = RunStatus.Queued.ToText(), running = RunStatus.Running.ToText() },
            cancellationToken);

    public async Task<int> RunningCountAsync(string agentId, CancellationToken cancellationToken) =>
        (int)await database.ScalarAsync<long>(
            "SELECT COUNT(*) FROM runs WHERE agent_id = @agentId AND status = @running",
            new { agentId, running = RunStatus.Running.ToText() },
            cancellationToken);

    /// <summary>How many runs an agent got since a moment, and when the oldest of them was created (hourly limits).</summary>
    public Task<(int Count, DateTimeOffset? Oldest)> CreatedSinceAsync(string agentId, DateTimeOffset since, CancellationToken cancellationToken) =>
        CreatedSince.CountAsync(database, "runs", agentId, since, cancellationToken);

    public Task<long> TokensSinceAsync(string agentId, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ScalarAsync<long>(
            "SELECT CAST(COALESCE(SUM(input_tokens + output_tokens), 0) AS BIGINT) FROM runs WHERE agent_id = @agentId AND created_at >= @since",
            new { agentId, since = StoreTime.ToMicroseconds(since) },
            cancellationToken);

    /// <summary>
    /// The agent's version a run is driven with, when a save came between its creation and this drive (or a
    /// resumption): the run page's "ran version N" names what the model was last given, not what was queued.
    /// </summary>
    public Task RecordAgentVersionAsync(string id, long agentVersion, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE runs SET agent_version = @agentVersion WHERE id = @id", new { id, agentVersion }, cancellationToken);

    public Task<string?> HistoryAsync(string id, CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultAsync<string?>("SELECT history FROM runs WHERE id = @id", new { id }, cancellationToken);

    // Requester and starter are e-mail addresses, stored in canonical lower case: lookups compare exactly.
    private static Run NewRun(string agentId, string requester, string input, DateTimeOffset now) =>
        new("run_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), agentId, EmailAddressText.Canonical(requester), input, RunStatus.Queued, 0, 0, 0, null, null, now, null);

    /// <summary>
    /// The run's row, holding the agent's version at this moment (read in the same statement, so no save can
    /// fall between); returns that version. A run driven later by a newer version records it (<see cref="RecordAgentVersionAsync"/>).
    /// </summary>
    private static StoreWrite InsertWrite(Run run) => new(
        "INSERT INTO runs (id, agent_id, requester, input, status, created_at, started_by, dry_run, agent_version) VALUES (@Id, @AgentId, @Requester, @Input, @Status, @CreatedAt, @StartedBy, @DryRun, (SELECT a.definition_version FROM agents a WHERE a.id = @AgentId)) RETURNING agent_version",
        new { run.Id, run.AgentId, run.Requester, run.Input, Status = run.Status.ToText(), CreatedAt = StoreTime.ToMicroseconds(run.CreatedAt), run.StartedBy, DryRun = run.DryRun ? 1 : 0 });
}
