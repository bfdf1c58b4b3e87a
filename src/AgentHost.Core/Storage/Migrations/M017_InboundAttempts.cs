namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// A recorded inbound event counts the attempts at its work, so one whose handling keeps failing (a click
/// whose answer Slack refuses, a mention that crashes its job) is given up after a bounded number
/// (Slack:MaxInboundAttempts) instead of being replayed every minute forever; failure names why.
/// </summary>
internal static class M017_InboundAttempts
{
    public static Migration Migration { get; } = new(
        17,
        "inbound events count their attempts and record why they were given up",
        """
        ALTER TABLE inbound_events ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE inbound_events ADD COLUMN failure TEXT NULL;
        """,
        """
        ALTER TABLE inbound_events ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE inbound_events ADD COLUMN failure TEXT NULL;
        """);
}
