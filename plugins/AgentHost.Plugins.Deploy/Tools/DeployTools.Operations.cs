using System.Globalization;
using System.Text;
using AgentHost.Core.Provenance;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Deploy.Api;

namespace AgentHost.Plugins.Deploy.Tools;

/// <summary>What the deploy functions do at GitHub, once their arguments are checked.</summary>
public sealed partial class DeployTools
{
    private async Task<ToolResult> ListPullRequestsAsync(RepositoryName repo, string state, CancellationToken cancellationToken)
    {
        var pulls = await github.ListPullRequestsAsync(repo, state, MaxPullRequests, cancellationToken);
        if (pulls.Count == 0)
        {
            return new ToolResult(true, $"no {state} pull requests in {repo}");
        }

        var text = new StringBuilder();
        var values = new List<TrackedValue>();
        foreach (var pr in pulls)
        {
            values.Add(new(ArgumentKind.Number, pr.Number.ToString(CultureInfo.InvariantCulture)));
            values.Add(new(ArgumentKind.Ref, pr.HeadRef));
            values.Add(new(ArgumentKind.Sha, pr.HeadSha));
            text.Append(CultureInfo.InvariantCulture, $"#{pr.Number} [{pr.State}] \"{pr.Title}\" by {pr.Author}: {pr.HeadRef} @ {pr.HeadSha} -> {pr.BaseRef}\n");
            if (pr.Body is { Length: > 0 } body)
            {
                text.Append("  ").Append(body.Length > MaxBodyCharacters ? body[..MaxBodyCharacters] + " [cut]" : body).Append('\n');
            }
        }

        // Titles, bodies and branch names are chosen by whoever opened the pull request; which pull request
        // (its number, branch and commit) an agent acts on after reading them is theirs too, however short.
        return new ToolResult(true, text.ToString(), Untrusted: true, values);
    }

    private async Task<ToolResult> StatusAsync(RepositoryName repo, string? environment, CancellationToken cancellationToken)
    {
        var deployments = await github.ListDeploymentsAsync(repo, environment, cancellationToken);
        var shown = environment is null
            ? deployments.GroupBy(d => d.Environment, StringComparer.Ordinal).Select(g => g.First()).OrderBy(d => d.Environment, StringComparer.Ordinal).ToList()
            : deployments.Take(StatusHistory).ToList();
        if (shown.Count == 0)
        {
            return new ToolResult(true, environment is null ? $"no deployments in {repo}" : $"no deployments of {repo} to {environment}");
        }

        var text = new StringBuilder();
        var values = new List<TrackedValue>();
        foreach (var deployment in shown)
        {
            values.Add(new(ArgumentKind.Ref, deployment.Ref));
            values.Add(new(ArgumentKind.Sha, deployment.Sha));
            var state = await github.LatestStateAsync(repo, deployment.Id, cancellationToken) ?? "no status";
            text.Append(CultureInfo.InvariantCulture, $"{deployment.Environment}: deployment {deployment.Id} of {deployment.Ref} @ {deployment.Sha}, {state}, created {deployment.CreatedAt:O}");
            text.Append(deployment.Description is { Length: > 0 } d ? $" ({d})\n" : "\n");
        }

        // A deployment's ref and description are whatever its creator chose: a workflow run by a pull
        // request, an integration, an earlier fooled agent. Reading them back must not launder an injected
        // ref into a trusted one, so the whole status is untrusted and its refs and SHAs are tracked.
        return new ToolResult(true, text.ToString(), Untrusted: true, values);
    }

    private async Task<ToolResult> CreateAsync(RepositoryName repo, string gitRef, string environment, string description, ToolInvocation call, CancellationToken cancellationToken)
    {
        var request = new DeploymentRequest(gitRef, environment, description, IdempotencyKey(call.RunId, call.CallId));
        var (deployment, existed) = await CreateOnceAsync(repo, request, cancellationToken);
        return new ToolResult(true, existed
            ? $"deployment {deployment.Id} of {deployment.Ref} @ {deployment.Sha} to {deployment.Environment} already exists for this call; not created again"
            : $"created deployment {deployment.Id} of {deployment.Ref} @ {deployment.Sha} to {deployment.Environment}");
    }

    private async Task<ToolResult> RollbackAsync(RepositoryName repo, string environment, ToolInvocation call, CancellationToken cancellationToken)
    {
        var key = IdempotencyKey(call.RunId, call.CallId);
        var deployments = await github.ListDeploymentsAsync(repo, environment, cancellationToken);
        if (deployments.FirstOrDefault(d => d.Key == key) is { } done)
        {
            return new ToolResult(true, $"rollback deployment {done.Id} of {done.Sha} to {environment} already exists for this call; not created again");
        }

        if (deployments.Count == 0)
        {
            return new ToolResult(false, $"no deployments of {repo} to {environment}: nothing to roll back");
        }

        // The current deployment is the newest; rolling back to its own commit would change nothing.
        var current = deployments[0];
        foreach (var candidate in deployments.Skip(1).Where(d => !string.Equals(d.Sha, current.Sha, StringComparison.OrdinalIgnoreCase)))
        {
            if (await github.LatestStateAsync(repo, candidate.Id, cancellationToken) != "success")
            {
                continue;
            }

            // The SHA, not the ref: a branch has moved on since, and the rollback must ship exactly what worked.
            var request = new DeploymentRequest(candidate.Sha, environment, $"Rollback to {candidate.Ref} ({candidate.Sha[..Math.Min(7, candidate.Sha.Length)]})", key);
            var created = await github.CreateDeploymentAsync(repo, request, cancellationToken);
            return new ToolResult(true, $"created rollback deployment {created.Id} of {environment} to {candidate.Ref} @ {candidate.Sha} (deployment {candidate.Id}); it replaces deployment {current.Id} of {current.Ref} @ {current.Sha}");
        }

        return new ToolResult(false, $"no earlier successful deployment of {repo} to {environment} with another commit than the current one ({current.Sha}) among the newest {GitHubDeployClient.DeploymentWindow}: nothing to roll back to");
    }

    private async Task<(DeploymentSummary Deployment, bool Existed)> CreateOnceAsync(RepositoryName repo, DeploymentRequest request, CancellationToken cancellationToken)
    {
        var existing = await github.ListDeploymentsAsync(repo, request.Environment, cancellationToken);
        if (existing.FirstOrDefault(d => d.Key == request.Key) is { } found)
        {
            return (found, true);
        }

        return (await github.CreateDeploymentAsync(repo, request, cancellationToken), false);
    }
}
