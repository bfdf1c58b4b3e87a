using System.Data.Common;
using System.Threading.Channels;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Audit.Merkle;
using AgentHost.Core.Redaction;
using AgentHost.Core.Storage;
using Microsoft.Extensions.Logging;

namespace AgentHost.Core.Audit;

/// <summary>
/// The single writer of the audit trail in this process. Appenders enqueue and wait; the writer commits
/// everything waiting in one transaction (group commit) and releases them only after the commit, so an
/// awaited append is durable and many appenders share one fsync. Checkpoints are made by the same loop,
/// so the tree never changes under a checkpoint.
/// </summary>
public sealed partial class AuditLogWriter : IAuditLog, IAsyncDisposable
{
    private readonly StoreDatabase _database;
    private readonly AuditOptions _options;
    private static readonly string[] InsertParameters = ["@seq", "@ts", "@type", "@actor", "@agent", "@run", "@data", "@leaf"];
    private readonly SecretRedactor _redactor;
    private readonly CheckpointSigner _signer;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditLogWriter> _logger;
    private readonly Channel<Command> _commands = Channel.CreateUnbounded<Command>(new UnboundedChannelOptions { SingleReader = true });
    private readonly MerkleTreeBuilder _tree = new();
    private readonly List<Command> _batch = [];
    private long _lastSeq;
    private long _lastTimestamp;
    private long _lastCheckpointSize = -1;
    private Task? _loop;
    private ITimer? _checkpointTimer;

    public AuditLogWriter(StoreDatabase database, AuditOptions options, SecretRedactor redactor, CheckpointSigner signer, TimeProvider time, ILogger<AuditLogWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _options = options;
        _redactor = redactor;
        _signer = signer;
        _time = time;
        _logger = logger;
    }

    /// <summary>Transactions committed so far; with the tree size, gives the mean group-commit batch.</summary>
    public long Commits { get; private set; }

    /// <summary>The size and root of the tree as of the last commit.</summary>
    public (long Size, byte[] Root) Head { get; private set; } = (0, MerkleHash.EmptyRoot());

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await _database.OpenAsync(cancellationToken))
        {
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT seq, ts, leaf_hash FROM audit_events ORDER BY seq";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                var hash = new byte[MerkleHash.Size];
                while (await reader.ReadAsync(cancellationToken))
                {
                    _lastSeq = reader.GetInt64(0);
                    _lastTimestamp = reader.GetInt64(1);
                    reader.GetBytes(2, 0, hash, 0, MerkleHash.Size);
                    _tree.Append(hash);
                }
            }

            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "SELECT COALESCE(MAX(tree_size), -1) FROM audit_checkpoints";
            _lastCheckpointSize = (long)(await checkpoint.ExecuteScalarAsync(cancellationToken))!;
        }

        Head = (_tree.Size, _tree.Root());
        _loop = Task.Run(() => RunAsync(CancellationToken.None), CancellationToken.None);
        _checkpointTimer = _time.CreateTimer(_ => _commands.Writer.TryWrite(new Command(null, null, null)), null, _options.CheckpointInterval, _options.CheckpointInterval);
    }

    public async Task<AuditEvent> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return (await AppendAsync([entry], null, cancellationToken))[0];
    }

    public Task<IReadOnlyList<AuditEvent>> AppendAsync(IReadOnlyList<AuditEntry> entries, StoreWrite? companion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);

        // Redaction and canonical encoding run here, on the appenders' threads, so the single writer
        // does only what must be serial: numbering, hashing and the inserts.
        var prepared = entries.Select(entry => new PreparedEntry(
            entry.Type,
            _redactor.Redact(entry.Actor.ToString()),
            entry.AgentId,
            entry.RunId,
            AuditCanonicalForm.CanonicalData(entry.Data is null ? null : _redactor.RedactObject(entry.Data)))).ToArray();
        var done = new TaskCompletionSource<IReadOnlyList<AuditEvent>>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_loop is null || !_commands.Writer.TryWrite(new Command(prepared, companion, done)))
        {
            throw new AuditWriteException("the audit log is not running; nothing was recorded");
        }

        // Cancelling stops the wait, not the write: an enqueued event is still recorded.
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Makes a checkpoint now (tests, shutdown) and returns when it is stored.</summary>
    public async Task CheckpointNowAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<IReadOnlyList<AuditEvent>>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_commands.Writer.TryWrite(new Command(null, null, done)))
        {
            throw new AuditWriteException("the audit log is not running");
        }

        await done.Task.WaitAsync(cancellationToken);
    }

    public async Task StopAsync()
    {
        if (_loop is null)
        {
            return;
        }

        if (_checkpointTimer is not null)
        {
            await _checkpointTimer.DisposeAsync();
        }

        _commands.Writer.TryWrite(new Command(null, null, null));
        _commands.Writer.TryComplete();
        await _loop;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var (insert, parameters) = PrepareInsert(connection);
        using var disposeInsert = insert;
        while (await _commands.Reader.WaitToReadAsync(cancellationToken))
        {
            var checkpointRequested = new List<TaskCompletionSource<IReadOnlyList<AuditEvent>>?>();
            while (_batch.Count < _options.MaxBatch && _commands.Reader.TryRead(out var command))
            {
                if (command.Entries is null)
                {
                    checkpointRequested.Add(command.Done);
                }
                else
                {
                    _batch.Add(command);
                }
            }

            if (_batch.Count > 0)
            {
                await CommitBatchAsync(connection, insert, parameters, cancellationToken);
            }

            var due = _tree.Size - Math.Max(_lastCheckpointSize, 0) >= _options.CheckpointEveryEvents;
            if (checkpointRequested.Count > 0 || due)
            {
                await CheckpointAsync(connection, checkpointRequested, cancellationToken);
            }
        }
    }

    private async Task CommitBatchAsync(DbConnection connection, DbCommand insert, DbParameter[] parameters, CancellationToken cancellationToken)
    {
        var events = new AuditEvent[_batch.Count][];
        long seq;
        long timestamp;
        try
        {
            await using var transaction = (DbTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await CatchUpAsync(connection, transaction, cancellationToken);
            seq = _lastSeq;
            timestamp = _lastTimestamp;
            insert.Transaction = transaction;
            for (var i = 0; i < _batch.Count; i++)
            {
                var command = _batch[i];
                events[i] = new AuditEvent[command.Entries!.Length];
                for (var j = 0; j < command.Entries.Length; j++)
                {
                    var entry = command.Entries[j];

                    // Time never runs backwards in the log, even if the clock does.
                    timestamp = Math.Max(timestamp, StoreTime.ToMicroseconds(_time.GetUtcNow()));
                    seq++;
                    var leaf = AuditCanonicalForm.LeafHash(seq, timestamp, entry.Type, entry.Actor, entry.AgentId, entry.RunId, entry.Data);
                    parameters[0].Value = seq;
                    parameters[1].Value = timestamp;
                    parameters[2].Value = entry.Type;
                    parameters[3].Value = entry.Actor;
                    parameters[4].Value = (object?)entry.AgentId ?? DBNull.Value;
                    parameters[5].Value = (object?)entry.RunId ?? DBNull.Value;
                    parameters[6].Value = entry.Data;
                    parameters[7].Value = leaf;
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                    events[i][j] = new AuditEvent(seq, StoreTime.FromMicroseconds(timestamp), entry.Type, AuditActor.Parse(entry.Actor), entry.AgentId, entry.RunId, entry.Data, leaf);
                }

                if (command.Companion is { } companion)
                {
                    await StoreDatabase.ExecuteAsync(transaction, companion, cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            LogBatchFailed(_logger, ex, _batch.Count);
            foreach (var command in _batch)
            {
                command.Done!.TrySetException(new AuditWriteException("the audit event could not be made durable", ex));
            }

            _batch.Clear();
            return;
        }

        _lastSeq = seq;
        _lastTimestamp = timestamp;
        Commits++;
        foreach (var appended in events)
        {
            foreach (var e in appended)
            {
                _tree.Append(e.LeafHash);
            }
        }

        Head = (_tree.Size, _tree.Root());
        for (var i = 0; i < events.Length; i++)
        {
            _batch[i].Done!.TrySetResult(events[i]);
        }

        _batch.Clear();
    }

    /// <summary>
    /// On PostgreSQL several processes append to one log. Each commit takes the log's lock for its
    /// transaction and first adds the leaves the others committed since, so seq and the Merkle tree stay
    /// one line; SQLite has one writer process and needs neither.
    /// </summary>
    private async Task CatchUpAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        if (_database.Dialect != StoreDialect.Postgres)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(7262012); SELECT seq, ts, leaf_hash FROM audit_events WHERE seq > @known ORDER BY seq";
        command.AddParameter("@known", _lastSeq);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var caughtUp = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            _lastSeq = reader.GetInt64(0);
            _lastTimestamp = Math.Max(_lastTimestamp, reader.GetInt64(1));
            _tree.Append((byte[])reader.GetValue(2));
            caughtUp = true;
        }

        if (caughtUp)
        {
            Head = (_tree.Size, _tree.Root());
        }
    }

    private async Task CheckpointAsync(DbConnection connection, List<TaskCompletionSource<IReadOnlyList<AuditEvent>>?> waiters, CancellationToken cancellationToken)
    {
        try
        {
            await using var transaction = (DbTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await CatchUpAsync(connection, transaction, cancellationToken);
            var checkpoint = new Checkpoint(_signer.Origin, _tree.Size, _tree.Root(), _time.GetUtcNow());
            var signed = _signer.Sign(checkpoint);
            await StoreDatabase.ExecuteAsync(
                transaction,
                new StoreWrite(
                    "INSERT INTO audit_checkpoints (tree_size, root_hash, ts, note) VALUES (@size, @root, @ts, @note)",
                    new { size = checkpoint.TreeSize, root = checkpoint.RootHash, ts = StoreTime.ToMicroseconds(checkpoint.Timestamp), note = signed.Note }),
                cancellationToken);

            await transaction.CommitAsync(cancellationToken);
            CheckpointFile.Append(_options.CheckpointFile, signed.Note);
            _lastCheckpointSize = checkpoint.TreeSize;
            LogCheckpoint(_logger, checkpoint.TreeSize);
            foreach (var waiter in waiters)
            {
                waiter?.TrySetResult([]);
            }
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException)
        {
            LogCheckpointFailed(_logger, ex);
            foreach (var waiter in waiters)
            {
                waiter?.TrySetException(new AuditWriteException("the checkpoint could not be stored", ex));
            }
        }
    }

    private static (DbCommand Command, DbParameter[] Parameters) PrepareInsert(DbConnection connection)
    {
        var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO audit_events (seq, ts, type, actor, agent_id, run_id, data, leaf_hash) VALUES (@seq, @ts, @type, @actor, @agent, @run, @data, @leaf)";
        var parameters = InsertParameters.Select(name => insert.AddParameter(name, null)).ToArray();
        return (insert, parameters);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit batch of {Count} events failed; every appender was told")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Audit checkpoint signed at tree size {TreeSize}")]
    private static partial void LogCheckpoint(ILogger logger, long treeSize);

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit checkpoint failed")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);

    private sealed record PreparedEntry(string Type, string Actor, string? AgentId, string? RunId, string Data);

    private sealed record Command(PreparedEntry[]? Entries, StoreWrite? Companion, TaskCompletionSource<IReadOnlyList<AuditEvent>>? Done);
}
