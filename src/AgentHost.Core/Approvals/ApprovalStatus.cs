using System.Text.Json.Serialization;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Approvals;

/// <summary>Where an approval stands; stored and shown as snake_case words (<see cref="SnakeCase"/>).</summary>
[JsonConverter(typeof(SnakeCaseConverter<ApprovalStatus>))]
public enum ApprovalStatus
{
    Pending,
    Approved,
    Rejected,
    Expired,
    Cancelled,
}
