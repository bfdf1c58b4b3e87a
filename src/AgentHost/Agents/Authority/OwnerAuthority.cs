using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Slack;
using Microsoft.Extensions.Options;

namespace AgentHost.Agents.Authority;

/// <summary>
/// An agent never holds more authority than its owner (ARCHITECTURE.md section 3a, invariant 3). Each scope
/// value must be one the owner may use by hand, or one an admin granted this agent explicitly:
/// Slack channels the owner is a member of (asked of Slack), GitHub repositories the owner may write to
/// (read when the agent only reads; asked of GitHub), and folders and outside domains of the shared mailbox
/// that the directory's entitlements give the owner's groups. The approvals channel is never the owner's to
/// give. A value that cannot be verified (the plugin is not configured and the directory does not list it,
/// or the service did not answer) is refused: fail closed.
/// </summary>
public sealed class OwnerAuthority(
    EmployeeDirectory directory,
    ScopeGrantStore grants,
    ToolCatalog catalog,
    IOptions<SlackOptions> slackOptions,
    SlackMembership slack,
    IServiceProvider services) : IOwnerAuthority
{
    public async Task<Dictionary<string, string[]>> RefusedAsync(string owner, string? agentId, AgentDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var granted = agentId is null ? [] : await grants.ListAsync(agentId, cancellationToken);
        bool Granted(string scope, string value) => granted.Any(g => g.Scope == scope && ScopeValues.Same(catalog, scope, g.Value, value));

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var scopes = definition.Scopes ?? new Dictionary<string, IReadOnlyList<string>>();
        var needsWrite = (definition.Tools ?? []).Any(t => catalog.TryGet(t, out var tool) && tool.Plugin == "deploy" && tool.Effect != ToolEffect.Read);
        var writableRepos = true;
        foreach (var key in scopes.Keys.Order(StringComparer.Ordinal).OrderBy(k => k == "github.environments"))
        {
            var refused = new List<string>();
            foreach (var value in scopes[key])
            {
                if (Granted(key, value))
                {
                    continue;
                }

                var verdict = key == "github.environments"
                    ? Environment(writableRepos, scopes.GetValueOrDefault("github.repos") ?? [])
                    : await CheckAsync(owner, key, ScopeValues.Canonical(catalog, key, value), needsWrite, cancellationToken);
                if (!verdict.Allowed)
                {
                    refused.Add($"'{value.Trim()}' is outside the authority of its owner {owner}: {verdict.Reason}");
                    writableRepos &= key != "github.repos";
                }
                else if (key == "github.repos" && !needsWrite)
                {
                    // Environments are deployment targets: a read-only grant of the repository does not reach them.
                    writableRepos &= (await CheckAsync(owner, key, ScopeValues.Canonical(catalog, key, value), true, cancellationToken)).Allowed;
                }
            }

            if (refused.Count > 0)
            {
                errors[$"scopes.{key}"] = [.. refused];
            }
        }

        // A mention trigger hears the channel and replies into it: the requester's words land on the owner's run page.
        var mentions = definition.Triggers?.SlackMention?.Channels ?? [];
        for (var i = 0; i < mentions.Count; i++)
        {
            if (!Granted("slack.channels", mentions[i] ?? string.Empty)
                && await CheckAsync(owner, "slack.channels", ScopeValues.Canonical(catalog, "slack.channels", mentions[i] ?? string.Empty), needsWrite, cancellationToken) is { Allowed: false } verdict)
            {
                errors[$"triggers.slackMention.channels[{i}]"] = [$"'{mentions[i]}' is outside the authority of its owner {owner}: {verdict.Reason}"];
            }
        }

        return errors;
    }

    private static ScopeVerdict Environment(bool writableRepos, IReadOnlyList<string> repos) =>
        repos.Count > 0 && writableRepos
            ? ScopeVerdict.Yes
            : ScopeVerdict.No("deploying to an environment needs write permission on every repository in scopes.github.repos (GitHub grants environments through the repository)");

    private Task<ScopeVerdict> CheckAsync(string owner, string scope, string value, bool needsWrite, CancellationToken cancellationToken)
    {
        var entitled = directory.EntitlementOf(owner);
        return scope switch
        {
            "slack.channels" => Channel(owner, value, entitled, cancellationToken),
            "github.repos" => Repository(owner, value, needsWrite, entitled, cancellationToken),
            "email.folders" => Task.FromResult(entitled.MailFolders.Any(f => ScopeValues.Same(catalog, scope, f, value))
                ? ScopeVerdict.Yes
                : ScopeVerdict.No("the directory's entitlements give none of the owner's groups this folder of the shared mailbox")),
            "email.recipientDomains" => Task.FromResult(entitled.RecipientDomains.Any(d => ScopeValues.Same(catalog, scope, d, value))
                ? ScopeVerdict.Yes
                : ScopeVerdict.No("the directory's entitlements give none of the owner's groups this outside domain")),
            // A plugin's scope the host has no authority check for: fail closed, an admin may grant the value.
            _ => Task.FromResult(ScopeVerdict.No("no check of the owner's authority is known for this scope; an admin can grant the value")),
        };
    }

    private async Task<ScopeVerdict> Channel(string owner, string channel, ScopeEntitlement entitled, CancellationToken cancellationToken)
    {
        var options = slackOptions.Value;
        if (options.ApprovalChannel is { } approvals && ScopeValues.Same(catalog, "slack.channels", approvals, channel))
        {
            return ScopeVerdict.No("it is the approvals channel (Slack:ApprovalChannel); only an admin can grant it");
        }

        if (options.Enabled)
        {
            return await slack.CheckAsync(owner, channel, cancellationToken);
        }

        return entitled.SlackChannels.Any(c => ScopeValues.Same(catalog, "slack.channels", c, channel))
            ? ScopeVerdict.Yes
            : ScopeVerdict.No("Slack is not configured, so membership cannot be verified, and the directory's entitlements do not list this channel");
    }

    private async Task<ScopeVerdict> Repository(string owner, string repository, bool needsWrite, ScopeEntitlement entitled, CancellationToken cancellationToken)
    {
        if (services.GetService<GitHubRepoAccess>() is not { } github)
        {
            return entitled.GitHubRepos.Any(r => ScopeValues.Same(catalog, "github.repos", r, repository))
                ? ScopeVerdict.Yes
                : ScopeVerdict.No("GitHub is not configured, so permission cannot be verified, and the directory's entitlements do not list this repository");
        }

        return directory.FindByEmail(owner)?.GitHubLogin is { } login
            ? await github.CheckAsync(login, repository, needsWrite, cancellationToken)
            : ScopeVerdict.No($"{owner} has no GitHub login in the directory (add 'github: <login>' to their entry)");
    }
}
