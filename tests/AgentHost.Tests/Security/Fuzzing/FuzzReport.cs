using System.Globalization;

namespace AgentHost.Tests.Security.Fuzzing;

/// <summary>
/// Writes each fuzz target's figures to test-results/fuzz/, one file per target, so docs/security.md
/// quotes numbers a run produced rather than numbers someone remembered.
/// </summary>
public static class FuzzReport
{
    public static void Record(string target, int executions, int failures, string notes)
    {
        var directory = Path.Combine(RepositoryRoot.Path, "test-results", "fuzz");
        Directory.CreateDirectory(directory);
        File.WriteAllText(
            Path.Combine(directory, target.Replace(' ', '-') + ".txt"),
            string.Create(CultureInfo.InvariantCulture, $"{target}: {executions} executions, {failures} failures; {notes}\n"));
    }
}
