using System.Collections.Frozen;

namespace AgentHost.Core.Tools;

/// <summary>The tools an agent can be granted. Policies are checked against it at load time.</summary>
public sealed class ToolCatalog
{
    private readonly FrozenDictionary<string, ToolDescriptor> _byName;

    public ToolCatalog(IEnumerable<ToolDescriptor> tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _byName = tools.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        Plugins = _byName.Values.Select(t => t.Plugin).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyCollection<ToolDescriptor> All => _byName.Values;

    public IReadOnlyList<string> Plugins { get; }

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out ToolDescriptor tool) =>
        _byName.TryGetValue(name, out tool);

    /// <summary>The catalog of ARCHITECTURE.md section 6; plugin projects implement exactly these.</summary>
    public static ToolCatalog Standard { get; } = new(
    [
        new("slack.post_message", ToolEffect.Write, ToolReach.External, ["channel", "text", "thread_ts"], ["channel"], "Post a message to a Slack channel."),
        new("slack.read_channel", ToolEffect.Read, ToolReach.Internal, ["channel", "limit"], [], "Read recent messages of a Slack channel."),
        new("slack.add_reaction", ToolEffect.Write, ToolReach.Internal, ["channel", "timestamp", "name"], ["channel"], "Add an emoji reaction to a message."),
        new("slack.lookup_user", ToolEffect.Read, ToolReach.Internal, ["email"], [], "Find a Slack user by email address."),
        new("email.list_messages", ToolEffect.Read, ToolReach.Internal, ["folder", "unread_only", "limit"], [], "List messages in a mail folder."),
        new("email.read_message", ToolEffect.Read, ToolReach.Internal, ["folder", "id"], [], "Read one message as text."),
        new("email.move_message", ToolEffect.Write, ToolReach.Internal, ["folder", "id", "destination"], ["destination"], "Move a message to another folder."),
        new("email.flag_message", ToolEffect.Write, ToolReach.Internal, ["folder", "id", "flag"], [], "Flag or unflag a message."),
        new("email.send", ToolEffect.Write, ToolReach.External, ["to", "cc", "subject", "body", "in_reply_to"], ["to", "cc"], "Send an email."),
        new("deploy.list_pull_requests", ToolEffect.Read, ToolReach.Internal, ["repo", "state"], [], "List pull requests of a repository."),
        new("deploy.get_status", ToolEffect.Read, ToolReach.Internal, ["repo", "environment"], [], "Latest deployments and their statuses per environment."),
        new("deploy.create_deployment", ToolEffect.Write, ToolReach.External, ["repo", "ref", "environment", "description"], ["repo", "ref", "environment"], "Create a deployment of a ref to an environment."),
        new("deploy.trigger_workflow", ToolEffect.Write, ToolReach.External, ["repo", "workflow", "ref", "inputs"], ["repo", "workflow", "ref"], "Dispatch a GitHub Actions workflow."),
        new("deploy.merge_pull_request", ToolEffect.Destructive, ToolReach.External, ["repo", "number", "method", "expected_head_sha"], ["repo", "number"], "Merge a pull request."),
        new("deploy.rollback", ToolEffect.Destructive, ToolReach.External, ["repo", "environment"], ["repo", "environment"], "Redeploy the last successful ref of an environment."),
    ]);
}
