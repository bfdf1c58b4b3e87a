using AgentHost.Agents.Authority;
using AgentHost.Core.Employees;
using AgentHost.Plugins.Deploy.Api;
using Octokit;

namespace AgentHost.Agents.Pickers;

/// <summary>
/// Repositories for the agent form: those the host's GitHub token reaches (GET /user/repos), narrowed to
/// the ones the owner may at least read (the same <see cref="GitHubRepoAccess"/> check as saving, with the
/// owner's GitHub login from the directory). Nothing when GitHub is not configured or did not answer.
/// </summary>
public sealed partial class GitHubRepoPicker(IServiceProvider services, EmployeeDirectory directory, ILogger<GitHubRepoPicker> logger)
{
    private const int MaxPages = 5;
    private const int MaxChecked = 200;

    public async Task<IReadOnlyList<ScopeOption>?> UsableAsync(string owner, CancellationToken cancellationToken)
    {
        if (services.GetService<GitHubDeployClient>() is not { } github || services.GetService<GitHubRepoAccess>() is not { } access
            || directory.FindByEmail(owner)?.GitHubLogin is not { } login)
        {
            return null;
        }

        IReadOnlyList<string> repositories;
        try
        {
            repositories = await github.RepositoriesAsync(MaxPages, cancellationToken);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            LogListFailed(ex.GetType().Name);
            return null;
        }

        var usable = new List<ScopeOption>();
        foreach (var repository in repositories.Take(MaxChecked))
        {
            if ((await access.CheckAsync(login, repository, needsWrite: false, cancellationToken)).Allowed)
            {
                usable.Add(new ScopeOption(repository, repository));
            }
        }

        return usable;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub did not list the token's repositories for the agent form ({Error}); the form takes typed names")]
    private partial void LogListFailed(string error);
}
