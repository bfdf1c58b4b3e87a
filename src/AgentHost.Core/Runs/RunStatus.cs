namespace AgentHost.Core.Runs;

/// <summary>The states of ARCHITECTURE.md section 6; stored and shown as these lower-case words.</summary>
public static class RunStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string AwaitingApproval = "awaiting_approval";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Stopped = "stopped";

    public static bool IsFinal(string status) => status is Succeeded or Failed or Stopped;
}
