using System.Collections.Frozen;

namespace AgentHost.Core.Tools;

/// <summary>The tools an agent can be granted. Policies are checked against it at load time.</summary>
public sealed class ToolCatalog
{
    private readonly IToolSource[] _sources;
    private readonly Lock _rebuilding = new();
    private volatile Snapshot _snapshot;

    public ToolCatalog(IEnumerable<ToolDescriptor> tools)
        : this([new FixedToolSource(tools)])
    {
    }

    public ToolCatalog(IEnumerable<IToolSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _sources = [.. sources];
        _snapshot = Build(_sources);
        foreach (var source in _sources)
        {
            source.Changed += (_, _) => Rebuild();
        }
    }

    /// <summary>Raised after the catalog changed (an MCP tool approved or disabled): policies are compiled again.</summary>
    public event EventHandler? Changed;

    public IReadOnlyCollection<ToolDescriptor> All => _snapshot.ByName.Values;

    public IReadOnlyList<string> Plugins => _snapshot.Plugins;

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ToolDescriptor tool) =>
        _snapshot.ByName.TryGetValue(name, out tool);

    private void Rebuild()
    {
        lock (_rebuilding)
        {
            _snapshot = Build(_sources);
        }

        Changed?.Invoke(this, EventArgs.Empty);
    }

    private static Snapshot Build(IToolSource[] sources)
    {
        var tools = sources.SelectMany(s => s.Tools).ToList();
        var duplicate = tools.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"two tool sources declare {duplicate.Key}");
        }

        return new Snapshot(
            tools.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal),
            [.. tools.Select(t => t.Plugin).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private sealed record Snapshot(FrozenDictionary<string, ToolDescriptor> ByName, IReadOnlyList<string> Plugins);

    /// <summary>The catalog of ARCHITECTURE.md section 6; plugin projects implement exactly these.</summary>
    public static ToolCatalog Standard { get; } = new((ToolDescriptor[])
    [
        new("slack.post_message", ToolEffect.Write, ToolReach.External, ["channel", "text", "thread_ts"], ["channel"], "Post a message to a Slack channel.", Kinds(("channel", ArgumentKind.Channel))),
        new("slack.read_channel", ToolEffect.Read, ToolReach.Internal, ["channel", "limit"], [], "Read recent messages of a Slack channel.", Kinds(("channel", ArgumentKind.Channel))),
        new("slack.add_reaction", ToolEffect.Write, ToolReach.Internal, ["channel", "timestamp", "name"], ["channel"], "Add an emoji reaction to a message.", Kinds(("channel", ArgumentKind.Channel))),
        new("slack.lookup_user", ToolEffect.Read, ToolReach.Internal, ["email"], [], "Find a Slack user by email address.", Kinds(("email", ArgumentKind.Email))),
        new("email.list_messages", ToolEffect.Read, ToolReach.Internal, ["folder", "unread_only", "limit"], [], "List messages in a mail folder.", Kinds(("folder", ArgumentKind.Folder))),
        new("email.read_message", ToolEffect.Read, ToolReach.Internal, ["folder", "id"], [], "Read one message as text.", Kinds(("folder", ArgumentKind.Folder))),
        new("email.move_message", ToolEffect.Write, ToolReach.Internal, ["folder", "id", "destination"], ["destination"], "Move a message to another folder.", Kinds(("folder", ArgumentKind.Folder), ("destination", ArgumentKind.Folder))),
        new("email.flag_message", ToolEffect.Write, ToolReach.Internal, ["folder", "id", "flag"], [], "Flag or unflag a message.", Kinds(("folder", ArgumentKind.Folder))),
        new("email.send", ToolEffect.Write, ToolReach.External, ["to", "cc", "subject", "body", "in_reply_to"], ["to", "cc"], "Send an email.", Kinds(("to", ArgumentKind.Email), ("cc", ArgumentKind.Email), ("subject", ArgumentKind.Prose), ("body", ArgumentKind.Prose))),
        new("deploy.list_pull_requests", ToolEffect.Read, ToolReach.Internal, ["repo", "state"], [], "List pull requests of a repository.", Kinds(("repo", ArgumentKind.Repo))),
        new("deploy.get_status", ToolEffect.Read, ToolReach.Internal, ["repo", "environment"], [], "Latest deployments and their statuses per environment.", Kinds(("repo", ArgumentKind.Repo), ("environment", ArgumentKind.Environment))),
        new("deploy.create_deployment", ToolEffect.Write, ToolReach.External, ["repo", "ref", "environment", "description"], ["repo", "ref", "environment"], "Create a deployment of a ref to an environment.", Kinds(("repo", ArgumentKind.Repo), ("ref", ArgumentKind.Ref), ("environment", ArgumentKind.Environment))),
        new("deploy.trigger_workflow", ToolEffect.Write, ToolReach.External, ["repo", "workflow", "ref", "inputs"], ["repo", "workflow", "ref"], "Dispatch a GitHub Actions workflow.", Kinds(("repo", ArgumentKind.Repo), ("ref", ArgumentKind.Ref))),
        new("deploy.merge_pull_request", ToolEffect.Destructive, ToolReach.External, ["repo", "number", "method", "expected_head_sha"], ["repo", "number"], "Merge a pull request.", Kinds(("repo", ArgumentKind.Repo), ("number", ArgumentKind.Number), ("expected_head_sha", ArgumentKind.Sha))),
        new("deploy.rollback", ToolEffect.Destructive, ToolReach.External, ["repo", "environment"], ["repo", "environment"], "Redeploy the last successful ref of an environment.", Kinds(("repo", ArgumentKind.Repo), ("environment", ArgumentKind.Environment))),
    ]);

    private static FrozenDictionary<string, ArgumentKind> Kinds(params (string Argument, ArgumentKind Kind)[] kinds) =>
        kinds.ToFrozenDictionary(k => k.Argument, k => k.Kind, StringComparer.Ordinal);
}
