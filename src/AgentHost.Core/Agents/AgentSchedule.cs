namespace AgentHost.Core.Agents;

/// <summary>A cron trigger (five fields, Cronos syntax) evaluated in an IANA or Windows time zone.</summary>
public sealed record AgentSchedule(string Cron, string TimeZone = "UTC", string? Input = null);
