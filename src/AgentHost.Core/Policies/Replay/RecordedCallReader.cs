using System.Data.Common;
using System.Text.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Policies.Replay;

/// <summary>
/// Reads the calls of a period from the audit trail, the tamper-evident record of what agents asked
/// (action.requested: function, canonical arguments, tainted arguments) and what the gate answered
/// (policy.decided), with the run's requester. Newest first up to <c>limit</c>, returned oldest first.
/// </summary>
public static class RecordedCallReader
{
    public const int DefaultLimit = 1_000_000;

    // The period as a range of seq, found on the ts index; the calls then come by a backward walk of the
    // primary key. Filtering on ts and type directly makes the planner take an index and sort millions of
    // rows with their data; ts follows seq (appends are in order), so the range is the period.
    private const string FirstSeq = "SELECT MIN(seq) FROM audit_events WHERE ts >= @since";

    // SQLite's unary + keeps its planner off the type index; PostgreSQL walks the primary key by itself.
    private static string Sql(StoreDialect dialect) =>
        "SELECT e.seq, e.ts, e.type, e.agent_id, e.run_id, e.data, r.requester FROM audit_events e "
        + "LEFT JOIN runs r ON r.id = e.run_id "
        + $"WHERE e.seq >= @from AND {(dialect == StoreDialect.Sqlite ? "+" : string.Empty)}e.type IN (@requested, @decided) "
        + "AND e.agent_id IS NOT NULL AND e.run_id IS NOT NULL ORDER BY e.seq DESC";

    public static async Task<IReadOnlyList<RecordedCall>> ReadAsync(StoreDatabase database, DateTimeOffset since, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var calls = new List<RecordedCall>();
        var decisions = new Dictionary<(string RunId, string CallId), (PolicyOutcome Outcome, string[] Rules)>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var first = connection.CreateCommand();
        first.CommandText = FirstSeq;
        Add(first, "@since", StoreTime.ToMicroseconds(since));
        if (await first.ExecuteScalarAsync(cancellationToken) is not long firstSeq)
        {
            return calls;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = Sql(database.Dialect);
        Add(command, "@requested", AuditEventTypes.ActionRequested);
        Add(command, "@decided", AuditEventTypes.PolicyDecided);
        Add(command, "@from", firstSeq);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (calls.Count < limit && await reader.ReadAsync(cancellationToken))
        {
            var runId = reader.GetString(4);
            using var data = JsonDocument.Parse(reader.GetString(5));
            var root = data.RootElement;
            if (Text(root, "callId") is not { } callId)
            {
                continue;
            }

            // Newest first: a call's decision is read before its request.
            if (reader.GetString(2) == AuditEventTypes.PolicyDecided)
            {
                if (PolicyText.ParseOutcome(Text(root, "decision")) is { } outcome)
                {
                    decisions[(runId, callId)] = (outcome, Texts(root, "rules"));
                }

                continue;
            }

            var recorded = decisions.Remove((runId, callId), out var found) ? found : ((PolicyOutcome Outcome, string[] Rules)?)null;
            calls.Add(new RecordedCall(
                reader.GetInt64(0),
                StoreTime.FromMicroseconds(reader.GetInt64(1)),
                reader.GetString(3),
                runId,
                callId,
                Text(root, "function") ?? string.Empty,
                root.TryGetProperty("arguments", out var arguments) ? ArgumentsJson(arguments) : "{}",
                new HashSet<string>(Texts(root, "tainted"), StringComparer.Ordinal),
                reader.IsDBNull(6) ? string.Empty : reader.GetString(6),
                recorded?.Outcome,
                recorded?.Rules ?? []));
        }

        calls.Reverse();
        return calls;
    }

    // Arguments the model sent as unreadable text were recorded as a JSON string: they stay text, which the replay reads as malformed.
    private static string ArgumentsJson(JsonElement arguments) =>
        arguments.ValueKind == JsonValueKind.String ? arguments.GetString()! : arguments.GetRawText();

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string[] Texts(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)]
            : [];

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
