using Microsoft.Data.Sqlite;

namespace AgentHost.Core.Audit;

/// <summary>Reads a database file directly, read-only, for offline verification of a copy.</summary>
public static class AuditDatabaseFile
{
    public static IEnumerable<AuditEvent> ReadEvents(string path)
    {
        using var connection = OpenReadOnly(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, ts, type, actor, agent_id, run_id, data, leaf_hash FROM audit_events ORDER BY seq";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return AuditReader.Read(reader);
        }
    }

    public static IReadOnlyList<string> ReadCheckpointNotes(string path)
    {
        using var connection = OpenReadOnly(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT note FROM audit_checkpoints ORDER BY id";
        using var reader = command.ExecuteReader();
        var notes = new List<string>();
        while (reader.Read())
        {
            notes.Add(reader.GetString(0));
        }

        return notes;
    }

    private static SqliteConnection OpenReadOnly(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("no database file here", path);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
