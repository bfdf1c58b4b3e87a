namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// The approver's loop: when an approval's one reminder is due (cleared by whoever sends it, so it is
/// sent once however many workers sweep), the group it escalates to on expiry and when it did (at most
/// once), the notices told once per approval (the owner's direct message), and the Slack forms opened
/// to ask a rejecter for the reason, so that a submission is checked against what was opened.
/// </summary>
internal static class M021_ApprovalReminders
{
    public static Migration Migration { get; } = new(
        21,
        "approval reminders, escalation, notices told once, Slack reject forms",
        """
        ALTER TABLE approvals ADD COLUMN remind_at INTEGER NULL;
        ALTER TABLE approvals ADD COLUMN escalate_to TEXT NULL;
        ALTER TABLE approvals ADD COLUMN escalated_at INTEGER NULL;
        CREATE INDEX ix_approvals_remind_at ON approvals (remind_at) WHERE remind_at IS NOT NULL;
        CREATE TABLE approval_notices (
            approval_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            PRIMARY KEY (approval_id, kind)
        );
        CREATE TABLE approval_reject_forms (
            view_id TEXT PRIMARY KEY,
            approval_id TEXT NOT NULL,
            slack_user TEXT NOT NULL,
            channel TEXT NOT NULL,
            opened_at INTEGER NOT NULL,
            submitted_at INTEGER NULL
        );
        """,
        """
        ALTER TABLE approvals ADD COLUMN remind_at BIGINT NULL;
        ALTER TABLE approvals ADD COLUMN escalate_to TEXT NULL;
        ALTER TABLE approvals ADD COLUMN escalated_at BIGINT NULL;
        CREATE INDEX ix_approvals_remind_at ON approvals (remind_at) WHERE remind_at IS NOT NULL;
        CREATE TABLE approval_notices (
            approval_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            at BIGINT NOT NULL,
            PRIMARY KEY (approval_id, kind)
        );
        CREATE TABLE approval_reject_forms (
            view_id TEXT PRIMARY KEY,
            approval_id TEXT NOT NULL,
            slack_user TEXT NOT NULL,
            channel TEXT NOT NULL,
            opened_at BIGINT NOT NULL,
            submitted_at BIGINT NULL
        );
        """);
}
