using System.Text;
using AgentHost.Core.Employees;
using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Tools;

namespace AgentHost.Benchmarks;

/// <summary>Policy sets and requests the benchmarks share: the shipped set and generated sets of a given size.</summary>
public static class PolicyFixtures
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentHost.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run the benchmarks from inside the repository");
    }

    public static PolicySet Shipped() =>
        PolicyLoader.LoadDirectory(Path.Combine(RepositoryRoot(), "policies"), AgentHost.Tools.BuiltInPlugins.Catalog()).PolicySet
        ?? throw new InvalidOperationException("the shipped policies do not load");

    public static EmployeeDirectory People() =>
        DirectoryFileLoader.Load(Path.Combine(RepositoryRoot(), "src", "AgentHost", "directory.yaml")).Directory!;

    /// <summary>
    /// Per-channel rules as a large organisation writes them (one rule per channel or small channel set,
    /// mixed outcomes), plus the shipped rules' shape for the rest of the catalog. Channel C00001 is
    /// allowed for reading by exactly one rule, so the measured call is the allow path.
    /// </summary>
    public static PolicySet Generated(int rules)
    {
        var random = new Random(42);
        var text = new StringBuilder("rules:\n  - { id: read-allowed, match: { function: slack.read_channel }, when: [{ argument: channel, equals: C00001 }], decision: allow }\n");
        for (var i = 1; i < rules; i++)
        {
            var channels = string.Join(", ", Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"C{random.Next(2, rules * 2 + 2):D5}"));
            var outcome = (i % 3) switch { 0 => "allow", 1 => "deny", _ => "require_approval" };
            var function = (i % 4) switch { 0 => "slack.read_channel", 1 => "slack.post_message", 2 => "slack.add_reaction", _ => "email.move_message" };
            var argument = function == "email.move_message" ? "destination" : "channel";
            text.Append($"  - id: r{i}\n    match: {{ function: {function} }}\n    when: [{{ argument: {argument}, in: [{channels}] }}]\n    decision: {outcome}\n");
            if (outcome == "require_approval")
            {
                text.Append("    approval: { group: team-leads }\n");
            }
        }

        return PolicyLoader.Load([new PolicyFile("generated.yaml", text.ToString())], AgentHost.Tools.BuiltInPlugins.Catalog()).PolicySet
            ?? throw new InvalidOperationException("generated policies do not load");
    }

    public static PolicyRequest ReadChannel(string channel) => new(
        "slack.read_channel",
        new Dictionary<string, ToolArgumentValue> { ["channel"] = channel, ["limit"] = "20" },
        AgentContext.Create("agent-1", "alice@example.com", ["slack.read_channel", "email.send"], new Dictionary<string, IEnumerable<string>>
        {
            ["slack.channels"] = ["C00001", "C0OPS"],
        }),
        "alice@example.com",
        PolicyRequest.NoTaint);

    public static PolicyRequest InternalMail() => new(
        "email.send",
        new Dictionary<string, ToolArgumentValue> { ["to"] = new[] { "bob@example.com", "carol@example.com" }, ["subject"] = "notes" },
        AgentContext.Create("agent-1", "alice@example.com", ["email.send"]),
        "alice@example.com",
        PolicyRequest.NoTaint);
}
