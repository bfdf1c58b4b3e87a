using System.Text.Json.Serialization;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Runs;

/// <summary>The states of ARCHITECTURE.md section 6; stored and shown as snake_case words ("awaiting_approval", <see cref="SnakeCase"/>).</summary>
[JsonConverter(typeof(SnakeCaseConverter<RunStatus>))]
public enum RunStatus
{
    Queued,
    Running,
    AwaitingApproval,
    Succeeded,
    Failed,
    Stopped,
}

public static class RunStatusExtensions
{
    public static bool IsFinal(this RunStatus status) => status is RunStatus.Succeeded or RunStatus.Failed or RunStatus.Stopped;
}
