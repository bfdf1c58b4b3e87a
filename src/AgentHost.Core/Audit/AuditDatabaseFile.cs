using Dapper;
using Microsoft.Data.Sqlite;

namespace AgentHost.Core.Audit;

/// <summary>Reads a database file directly, read-only, for offline verification of a copy.</summary>
public static class AuditDatabaseFile
{
    public static IEnumerable<AuditEvent> ReadEvents(string path)
    {
        using var connection = OpenReadOnly(path);
        foreach (var row in connection.Query<AuditEventRow>(AuditEventRow.Select + " ORDER BY seq", buffered: false))
        {
            yield return row.ToEvent();
        }
    }

    /// <summary>The trail's content rows, or none in a file from before the content table.</summary>
    public static IEnumerable<Content.StoredContent> ReadContent(string path)
    {
        using var connection = OpenReadOnly(path);
        if (connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_content'") == 0)
        {
            yield break;
        }

        foreach (var row in connection.Query<Content.AuditContentStore.StoredContentRow>(Content.AuditContentStore.SelectRows, buffered: false))
        {
            yield return row.ToStored();
        }
    }

    public static IReadOnlyList<string> ReadCheckpointNotes(string path)
    {
        using var connection = OpenReadOnly(path);
        return connection.Query<string>("SELECT note FROM audit_checkpoints ORDER BY id").AsList();
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
