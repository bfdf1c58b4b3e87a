namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// A run marked as a dry run ("Test run"): its reads execute, its writes and destructive calls are decided
/// by the gate and recorded as what would have happened, never executed. The mark is set when the run is
/// created and never changes, so nothing resumes a dry run as a real one.
/// </summary>
internal static class M020_DryRuns
{
    public static Migration Migration { get; } = new(
        20,
        "Dry runs: a run that decides its writes without executing them",
        "ALTER TABLE runs ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0;",
        "ALTER TABLE runs ADD COLUMN dry_run INTEGER NOT NULL DEFAULT 0;");
}
