using System.Data.Common;
using System.Security.Cryptography;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Runs;

/// <summary>Runs, their persisted chat history and their tool calls: the store is the truth, jobs only execute.</summary>
public sealed partial class RunStore(StoreDatabase database, TimeProvider time, RunLease? lease = null)
{
    private readonly RunLease _lease = lease ?? RunLease.ForThisProcess();

    private const string Columns = "id, agent_id, requester, input, status, turns, input_tokens, output_tokens, output, stop_reason, created_at, finished_at, started_by";

    /// <summary>A run nobody started by hand (a schedule); its requester is the agent's owner.</summary>
    public Task<Run> CreateAsync(string agentId, string requester, string input, CancellationToken cancellationToken) =>
        CreateAsync(agentId, requester, input, startedBy: null, cancellationToken);

    /// <summary>
    /// A run <paramref name="startedBy"/> triggered (signed in to the API or web, or mentioning the bot in
    /// Slack): that person, like the requester and the owner, never approves what the run asks for.
    /// </summary>
    public async Task<Run> CreateAsync(string agentId, string requester, string input, string? startedBy, CancellationToken cancellationToken)
    {
        var run = NewRun(agentId, requester, input, time.GetUtcNow()) with { StartedBy = startedBy is null ? null : Approvals.ApproverIdentity.Canonical(startedBy) };
        var insert = InsertWrite(run);
        await ExecuteAsync(insert.Sql, cancellationToken, [.. insert.Parameters.Select(p => (p.Key, p.Value))]);
        return run;
    }

    /// <summary>
    /// Creates a run for an inbound event unless that event already started one: the event's record, the
    /// run and <paramref name="alongside"/> (a trigger's cursor) commit together, so a crash or a second
    /// worker can neither start a second run for the event nor lose it. Null when the event was seen.
    /// </summary>
    public async Task<Run?> CreateOnceAsync(string agentId, string requester, string input, string source, string eventId, StoreWrite? alongside, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (DbTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await ExecuteAsync(connection, transaction, "INSERT INTO inbound_events (source, event_id, received_at) VALUES (@source, @event, @now) ON CONFLICT DO NOTHING", cancellationToken,
            new("@source", source), new("@event", eventId), new("@now", StoreTime.ToMicroseconds(now))) == 0)
        {
            return null;
        }

        var run = NewRun(agentId, requester, input, now);
        foreach (var write in alongside is null ? [InsertWrite(run)] : new[] { InsertWrite(run), alongside })
        {
            await ExecuteAsync(connection, transaction, write.Sql, cancellationToken, [.. write.Parameters]);
        }

        await transaction.CommitAsync(cancellationToken);
        return run;
    }

    public async Task<Run?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var runs = await QueryAsync($"SELECT {Columns} FROM runs WHERE id = @id", cancellationToken, ("@id", id));
        return runs.Count == 0 ? null : runs[0];
    }

    /// <summary>Moves a run from queued to running; false if another job already took it or it ended.</summary>
    public async Task<bool> TryStartAsync(string id, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE runs SET status = 'running', lease_owner = @owner, lease_until = @until WHERE id = @id AND status = 'queued'", cancellationToken, ("@id", id), ("@owner", _lease.Owner), ("@until", LeaseEnd())) == 1;

    public Task SaveProgressAsync(string id, int turns, long inputTokens, long outputTokens, string history, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE runs SET turns = @turns, input_tokens = @in, output_tokens = @out, history = @history WHERE id = @id",
            cancellationToken,
            ("@turns", turns), ("@in", inputTokens), ("@out", outputTokens), ("@history", history), ("@id", id));

    /// <summary>Moves a parked run back to running; false if it was stopped meanwhile or already resumed.</summary>
    public async Task<bool> TryResumeAsync(string id, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE runs SET status = 'running', lease_owner = @owner, lease_until = @until WHERE id = @id AND status = 'awaiting_approval'", cancellationToken, ("@id", id), ("@owner", _lease.Owner), ("@until", LeaseEnd())) == 1;

    /// <summary>A running run waits for approval; it holds no thread or job while it does.</summary>
    public Task ParkAsync(string id, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE runs SET status = 'awaiting_approval' WHERE id = @id AND status = 'running'", cancellationToken, ("@id", id));

    /// <summary>Ends a run unless it already ended (a kill switch may have stopped it meanwhile).</summary>
    public async Task<bool> FinishAsync(string id, string status, string? output, string? stopReason, CancellationToken cancellationToken) =>
        await ExecuteAsync(
            "UPDATE runs SET status = @status, output = @output, stop_reason = @reason, finished_at = @now WHERE id = @id AND status NOT IN ('succeeded', 'failed', 'stopped')",
            cancellationToken,
            ("@status", status), ("@output", output), ("@reason", stopReason), ("@now", StoreTime.ToMicroseconds(time.GetUtcNow())), ("@id", id)) == 1;

    /// <summary>The kill switch's part in the store: every unfinished run of the agent stops; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> StopUnfinishedAsync(string agentId, string reason, CancellationToken cancellationToken)
    {
        var ids = (await QueryAsync($"SELECT {Columns} FROM runs WHERE agent_id = @agent AND status IN ('queued', 'running', 'awaiting_approval')", cancellationToken, ("@agent", agentId))).Select(r => r.Id).ToList();
        foreach (var id in ids)
        {
            await FinishAsync(id, RunStatus.Stopped, null, reason, cancellationToken);
        }

        return ids;
    }

    public async Task<IReadOnlyList<string>> QueuedAsync(CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM runs WHERE status = 'queued' ORDER BY created_at", cancellationToken)).Select(r => r.Id).ToList();


    public async Task<int> UnfinishedCountAsync(string agentId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM runs WHERE agent_id = @agent AND status IN ('queued', 'running')", cancellationToken, ("@agent", agentId))).Count;

    public async Task<int> RunningCountAsync(string agentId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM runs WHERE agent_id = @agent AND status = 'running'", cancellationToken, ("@agent", agentId))).Count;

    /// <summary>How many runs an agent got since a moment, and when the oldest of them was created (hourly limits).</summary>
    public Task<(int Count, DateTimeOffset? Oldest)> CreatedSinceAsync(string agentId, DateTimeOffset since, CancellationToken cancellationToken) =>
        CreatedSince.CountAsync(database, "runs", agentId, since, cancellationToken);

    public async Task<long> TokensSinceAsync(string agentId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT CAST(COALESCE(SUM(input_tokens + output_tokens), 0) AS BIGINT) FROM runs WHERE agent_id = @agent AND created_at >= @since";
        command.AddParameter("@agent", agentId);
        command.AddParameter("@since", StoreTime.ToMicroseconds(since));
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<string?> HistoryAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT history FROM runs WHERE id = @id";
        command.AddParameter("@id", id);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Run NewRun(string agentId, string requester, string input, DateTimeOffset now) =>
        new("run_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), agentId, requester, input, RunStatus.Queued, 0, 0, 0, null, null, now, null);

    private static StoreWrite InsertWrite(Run run) => new(
        "INSERT INTO runs (id, agent_id, requester, input, status, created_at, started_by) VALUES (@id, @agent, @requester, @input, @status, @now, @startedBy)",
        [new("@startedBy", run.StartedBy), new("@id", run.Id), new("@agent", run.AgentId), new("@requester", run.Requester), new("@input", run.Input), new("@status", run.Status), new("@now", StoreTime.ToMicroseconds(run.CreatedAt))]);

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params KeyValuePair<string, object?>[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value ?? DBNull.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<Run>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        var runs = new List<Run>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(Read(reader));
        }

        return runs;
    }

    private static Run Read(DbDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5), r.GetInt64(6), r.GetInt64(7),
        r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
        StoreTime.FromMicroseconds(r.GetInt64(10)), r.IsDBNull(11) ? null : StoreTime.FromMicroseconds(r.GetInt64(11)),
        r.IsDBNull(12) ? null : r.GetString(12));
}
