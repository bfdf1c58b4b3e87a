using System.Globalization;
using Octokit;

namespace AgentHost.Plugins.Deploy.Api;

/// <summary>
/// The few GitHub REST calls the deploy tools make, through Octokit. Reads and creates go through
/// Octokit's connection so that they take a CancellationToken and query parameters its typed clients
/// lack (the environment filter); Octokit still serialises, authenticates and maps errors to exceptions.
/// </summary>
public sealed class GitHubDeployClient
{
    /// <summary>The payload field holding this host's idempotency key.</summary>
    public const string PayloadKey = "agenthost_key";

    /// <summary>How many of the newest deployments are searched (GitHub's largest page).</summary>
    public const int DeploymentWindow = 100;

    private const string Accept = "application/vnd.github+json";

    private readonly GitHubClient _github;
    private readonly string _token;

    public GitHubDeployClient(DeployOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _token = options.Token ?? throw new ArgumentException("GitHub:Token is required", nameof(options));
        _github = new GitHubClient(new ProductHeaderValue("AgentHost"), options.ApiBaseUrl) { Credentials = new Credentials(_token) };
        _github.SetRequestTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds));
    }

    /// <summary>Removes the token from text that could reach the model or a log, whatever produced it.</summary>
    public string Redact(string text) => string.IsNullOrEmpty(text) ? text : text.Replace(_token, "[redacted]", StringComparison.Ordinal);

    public async Task<IReadOnlyList<PullRequestSummary>> ListPullRequestsAsync(RepositoryName repo, string state, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repo);
        var parameters = new Dictionary<string, string> { ["state"] = state, ["per_page"] = limit.ToString(CultureInfo.InvariantCulture) };
        var response = await _github.Connection.Get<List<PullRequest>>(ApiUrls.PullRequests(repo.Owner, repo.Name), parameters, Accept, cancellationToken);
        return response.Body.Select(pr => new PullRequestSummary(
            pr.Number,
            pr.State.StringValue,
            pr.Title ?? string.Empty,
            pr.User?.Login ?? "unknown",
            pr.Head?.Ref ?? string.Empty,
            pr.Head?.Sha ?? string.Empty,
            pr.Base?.Ref ?? string.Empty,
            pr.Body)).ToList();
    }

    /// <summary>The newest deployments, newest first, optionally of one environment.</summary>
    public async Task<IReadOnlyList<DeploymentSummary>> ListDeploymentsAsync(RepositoryName repo, string? environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repo);
        var parameters = new Dictionary<string, string> { ["per_page"] = DeploymentWindow.ToString(CultureInfo.InvariantCulture) };
        if (environment is not null)
        {
            parameters["environment"] = environment;
        }

        var response = await _github.Connection.Get<List<Deployment>>(ApiUrls.Deployments(repo.Owner, repo.Name), parameters, Accept, cancellationToken);
        return response.Body.Select(Summary).OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).ToList();
    }

    /// <summary>The state of a deployment's newest status (success, failure, in_progress...), or null if it has none.</summary>
    public async Task<string?> LatestStateAsync(RepositoryName repo, long deploymentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repo);
        var parameters = new Dictionary<string, string> { ["per_page"] = "1" };
        var response = await _github.Connection.Get<List<DeploymentStatus>>(ApiUrls.DeploymentStatuses(repo.Owner, repo.Name, deploymentId), parameters, Accept, cancellationToken);
        return response.Body.FirstOrDefault()?.State.StringValue;
    }

    public async Task<DeploymentSummary> CreateDeploymentAsync(RepositoryName repo, DeploymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(request);

        // The agent asked for this ref, not for GitHub to merge the default branch into it first (auto_merge)
        // or to wait for commit statuses that the approval already weighed (required_contexts).
        var body = new NewDeployment(request.Ref)
        {
            Environment = request.Environment,
            Description = request.Description,
            AutoMerge = false,
            RequiredContexts = [],
            Payload = new Dictionary<string, string> { [PayloadKey] = request.Key },
        };
        var response = await _github.Connection.Post<Deployment>(ApiUrls.Deployments(repo.Owner, repo.Name), body, Accept, "application/json", new Dictionary<string, string>(), cancellationToken);
        return Summary(response.Body);
    }

    public async Task DispatchWorkflowAsync(RepositoryName repo, WorkflowDispatch dispatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(dispatch);
        var uri = new Uri($"repos/{Uri.EscapeDataString(repo.Owner)}/{Uri.EscapeDataString(repo.Name)}/actions/workflows/{Uri.EscapeDataString(dispatch.Workflow)}/dispatches", UriKind.Relative);
        var body = new CreateWorkflowDispatch(dispatch.Ref) { Inputs = dispatch.Inputs.ToDictionary(i => i.Key, i => i.Value, StringComparer.Ordinal) };
        await _github.Connection.Post(uri, body, Accept, cancellationToken);
    }

    /// <summary>
    /// A user's permission on a repository (GET /repos/{owner}/{repo}/collaborators/{username}/permission):
    /// admin, write, read or none in GitHub's base-role terms (maintain reads as write, triage as read);
    /// null when GitHub does not know the repository or the user (404).
    /// </summary>
    public async Task<string?> CollaboratorPermissionAsync(RepositoryName repo, string login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repo);
        try
        {
            var response = await _github.Connection.Get<CollaboratorPermissionResponse>(ApiUrls.RepoCollaboratorPermission(repo.Owner, repo.Name, login), new Dictionary<string, string>(), Accept, cancellationToken);
            return response.Body.Permission;
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The repositories the host's token can reach (GET /user/repos, following GitHub's Link header page by
    /// page), as owner/name; at most <paramref name="maxPages"/> pages of 100, for the agent form's pick list.
    /// </summary>
    public async Task<IReadOnlyList<string>> RepositoriesAsync(int maxPages, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        Uri? next = new("user/repos", UriKind.Relative);
        var parameters = new Dictionary<string, string> { ["per_page"] = "100", ["sort"] = "full_name" };
        for (var page = 0; page < maxPages && next is not null; page++)
        {
            var response = await _github.Connection.Get<List<Repository>>(next, parameters, Accept, cancellationToken);
            names.AddRange(response.Body.Select(r => r.FullName).Where(n => !string.IsNullOrEmpty(n)));
            next = response.HttpResponse.ApiInfo?.Links is { } links && links.TryGetValue("next", out var link) ? link : null;
            parameters = [];
        }

        return names;
    }

    /// <summary>Merges only if the head is still the expected SHA: GitHub answers 409 otherwise (Octokit's PullRequestMismatchException).</summary>
    public async Task<MergeResult> MergeAsync(RepositoryName repo, MergeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(repo);
        ArgumentNullException.ThrowIfNull(request);

        // Octokit's merge takes no token; a cancelled run must at least not start the merge.
        cancellationToken.ThrowIfCancellationRequested();
        var method = request.Method switch
        {
            "squash" => PullRequestMergeMethod.Squash,
            "rebase" => PullRequestMergeMethod.Rebase,
            _ => PullRequestMergeMethod.Merge,
        };
        var merged = await _github.PullRequest.Merge(repo.Owner, repo.Name, request.Number, new MergePullRequest { Sha = request.ExpectedHeadSha, MergeMethod = method });
        return new MergeResult(merged.Merged, merged.Sha ?? string.Empty, merged.Message ?? string.Empty);
    }

    private static DeploymentSummary Summary(Deployment d) => new(
        d.Id,
        d.Environment ?? string.Empty,
        d.Ref ?? string.Empty,
        d.Sha ?? string.Empty,
        d.Description,
        d.Payload is { } payload && payload.TryGetValue(PayloadKey, out var key) ? key?.ToString() : null,
        d.CreatedAt);
}
