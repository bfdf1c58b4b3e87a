using System.Text.Json.Nodes;
using AgentHost.Core.Policies.Replay;
using AgentHost.Core.Storage;

namespace AgentHost.Policies;

/// <summary>A reload's replay in a few numbers: the period, the calls replayed, how many changed and how.</summary>
public sealed record ReplaySummary(DateTimeOffset Since, int Replayed, int Changed, IReadOnlyDictionary<string, int> ByChange, IReadOnlyList<ReplayGroupSummary> TopGroups)
{
    public static ReplaySummary From(PolicyReplayReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(
            report.Since,
            report.Replayed,
            report.ChangedCount,
            report.ByChange.OrderBy(c => c.Key).ToDictionary(c => c.Key.ToText(), c => c.Value, StringComparer.Ordinal),
            [.. report.Groups.Take(10).Select(g => new ReplayGroupSummary(g.Change.ToText(), g.Rule, g.AgentId, g.Calls))]);
    }

    public JsonObject ToJson() => new()
    {
        ["since"] = Since.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["replayed"] = Replayed,
        ["changed"] = Changed,
        ["byChange"] = new JsonObject(ByChange.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)JsonValue.Create(c.Value)))),
        ["topGroups"] = new JsonArray([.. TopGroups.Select(g => new JsonObject { ["change"] = g.Change, ["rule"] = g.Rule, ["agentId"] = g.AgentId, ["calls"] = g.Calls })]),
    };
}

public sealed record ReplayGroupSummary(string Change, string Rule, string AgentId, int Calls);
