using AgentHost.Plugins.Deploy.Api;
using Octokit;

namespace AgentHost.Agents.Authority;

/// <summary>
/// An employee's permission on a repository, asked of GitHub with their login from the directory. Deploying
/// and merging need write (GitHub's base roles admin and write; maintain counts as write); reading pull
/// requests and statuses needs read.
/// </summary>
public sealed class GitHubRepoAccess(GitHubDeployClient github, EntitlementCache cache)
{
    public Task<ScopeVerdict> CheckAsync(string login, string repository, bool needsWrite, CancellationToken cancellationToken) =>
        cache.GetAsync($"github\n{login.ToLowerInvariant()}\n{repository}\n{needsWrite}", token => AskAsync(login, repository, needsWrite, token), cancellationToken);

    private async Task<ScopeVerdict> AskAsync(string login, string repository, bool needsWrite, CancellationToken cancellationToken)
    {
        RepositoryName repo;
        try
        {
            repo = RepositoryName.Parse(repository);
        }
        catch (ArgumentException)
        {
            return ScopeVerdict.No("not a repository name (owner/name)");
        }

        string? permission;
        try
        {
            permission = await github.CollaboratorPermissionAsync(repo, login, cancellationToken);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ScopeVerdict.Unverified($"GitHub could not say what {login} may do on it ({ex.GetType().Name}); try again");
        }

        var level = permission?.ToLowerInvariant() switch
        {
            "admin" or "maintain" or "write" => 2,
            "read" or "triage" => 1,
            _ => 0,
        };
        if (permission is null)
        {
            return ScopeVerdict.No($"GitHub knows no such repository or user '{login}'");
        }

        return level >= (needsWrite ? 2 : 1)
            ? ScopeVerdict.Yes
            : ScopeVerdict.No($"GitHub user '{login}' has {permission} permission; the agent's deploy tools need {(needsWrite ? "write" : "read")}");
    }
}
