using AgentHost.Core.Storage.Migrations;

namespace AgentHost.Core.Storage;

/// <summary>
/// The schema of the store, in order: one file per migration in Migrations/, both dialects side by side.
/// Add a feature's tables as a new migration at the end; never edit one that has shipped.
/// </summary>
public static class Schema
{
    public static IReadOnlyList<Migration> Migrations { get; } =
    [
        M001_AuditTrail.Migration,
        M002_AuditSearchKeys.Migration,
        M003_Agents.Migration,
        M004_Runs.Migration,
        M005_Approvals.Migration,
        M006_Notifications.Migration,
        M007_ApprovalTaint.Migration,
        M008_MailboxCursors.Migration,
        M009_RunLeases.Migration,
        M010_ApprovalsByAgent.Migration,
        M011_CanonicalCalls.Migration,
        M012_ScopeGrants.Migration,
        M013_ApproverGroups.Migration,
        M014_DataProtectionKeys.Migration,
        M015_LowerCaseEmails.Migration,
        M016_InboundPayloads.Migration,
        M017_InboundAttempts.Migration,
        M018_McpToolPins.Migration,
        M019_RunControl.Migration,
        M020_DryRuns.Migration,
        M021_ApprovalReminders.Migration,
        M022_SiemCursors.Migration,
        M023_AgentVersions.Migration,
        M024_AuditContent.Migration,
        M025_AuditFullText.Migration,
    ];
}
