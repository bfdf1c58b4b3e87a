using System.Text;

namespace AgentHost.Core.Audit.Checkpoints;

/// <summary>
/// Signed checkpoint notes appended to a plain file outside the database, one after another; a note
/// ends with its signature line (the only lines starting with "— "), which is how they are split again.
/// </summary>
public static class CheckpointFile
{
    public static void Append(string path, string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
        file.Write(Encoding.UTF8.GetBytes(note));
        file.Flush(flushToDisk: true);
    }

    public static IReadOnlyList<string> ReadNotes(string path)
    {
        var notes = new List<string>();
        var current = new StringBuilder();
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            current.Append(line).Append('\n');
            if (line.StartsWith(CheckpointNote.SignaturePrefix, StringComparison.Ordinal))
            {
                notes.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.ToString().Trim().Length > 0)
        {
            // An unterminated note is kept so the verifier reports it as malformed rather than ignoring it.
            notes.Add(current.ToString());
        }

        return notes;
    }
}
