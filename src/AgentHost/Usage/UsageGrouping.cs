namespace AgentHost.Usage;

/// <summary>How the report groups its rows; security and admins see teams, never single people.</summary>
public enum UsageGrouping
{
    Agent,
    Owner,
    Team,
}
