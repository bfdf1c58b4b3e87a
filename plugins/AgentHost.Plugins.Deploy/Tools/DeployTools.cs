using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Deploy.Api;
using Microsoft.SemanticKernel;
using Octokit;

namespace AgentHost.Plugins.Deploy.Tools;

/// <summary>
/// The deploy functions of the tool catalog. They run only after the gate allowed the call, so they check
/// arguments, not permissions. Pull request text comes back untrusted: anyone who can open one wrote it.
/// </summary>
public sealed partial class DeployTools(GitHubDeployClient github, TimeProvider time)
{
    public const int MaxPullRequests = 30;
    private const int MaxBodyCharacters = 1000;
    private const int StatusHistory = 5;
    private const string RepoHelp = "the repository, owner/name";
    private const string RefHelp = "a branch, tag or commit SHA";
    private const string EnvironmentHelp = "the GitHub environment, such as staging or production";

    public IReadOnlyCollection<string> Functions { get; } =
        ["deploy.list_pull_requests", "deploy.get_status", "deploy.create_deployment", "deploy.trigger_workflow", "deploy.merge_pull_request", "deploy.rollback"];

    /// <summary>
    /// The payload key of one tool call. The run and call ids survive a retry or a resume after approval,
    /// so a second attempt finds the first attempt's deployment instead of creating another.
    /// </summary>
    public static string IdempotencyKey(string runId, string callId) =>
        "ah-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{runId}\n{callId}")))[..32];

    [KernelFunction("list_pull_requests"), Description("List pull requests of a repository.")]
    [ToolGate(ToolEffect.Read, ToolReach.Internal, UntrustedResult = true)]
    public Task<ToolResult> ListPullRequestsAsync(
        [Description(RepoHelp), GateArgument(ArgumentKind.Repo)] string? repo = null,
        [Description("open (default), closed or all")] string? state = null,
        [FromKernelServices] ToolInvocation? call = null,
        CancellationToken cancellationToken = default) => Guard(call, () => ListPullRequestsAsync(DeployArguments.Repo(repo), DeployArguments.State(state), cancellationToken), cancellationToken);

    [KernelFunction("get_status"), Description("Latest deployments and their statuses per environment.")]
    [ToolGate(ToolEffect.Read, ToolReach.Internal, UntrustedResult = true)]
    public Task<ToolResult> GetStatusAsync(
        [Description(RepoHelp), GateArgument(ArgumentKind.Repo)] string? repo = null,
        [Description("one environment's recent deployments; without it, the newest per environment"), GateArgument(ArgumentKind.Environment)] string? environment = null,
        [FromKernelServices] ToolInvocation? call = null,
        CancellationToken cancellationToken = default) => Guard(call, () => StatusAsync(DeployArguments.Repo(repo), DeployArguments.OptionalEnvironment(environment), cancellationToken), cancellationToken);

    [KernelFunction("create_deployment"), Description("Create a deployment of a ref to an environment.")]
    [ToolGate(ToolEffect.Write, ToolReach.External)]
    public Task<ToolResult> CreateDeploymentAsync(
        [Description(RepoHelp), GateArgument(ArgumentKind.Repo, Sink = true)] string? repo = null,
        [Description(RefHelp), GateArgument(ArgumentKind.Ref, Sink = true)] string? @ref = null,
        [Description(EnvironmentHelp), GateArgument(ArgumentKind.Environment, Sink = true)] string? environment = null,
        [Description("at most 140 characters")] string? description = null,
        [FromKernelServices] ToolInvocation? call = null,
        CancellationToken cancellationToken = default) => Guard(call, () =>
    {
        var repository = DeployArguments.Repo(repo);
        var gitRef = DeployArguments.Ref(@ref);
        var target = DeployArguments.Environment(environment);
        return CreateAsync(repository, gitRef, target, DeployArguments.Description(description, $"Deploy {gitRef} to {target}"), Invocation(call), cancellationToken);
    }, cancellationToken);

    [KernelFunction("trigger_workflow"), Description("Dispatch a GitHub Actions workflow.")]
    [ToolGate(ToolEffect.Write, ToolReach.External)]
    public Task<ToolResult> TriggerWorkflowAsync(
        [Description(RepoHelp), GateArgument(ArgumentKind.Repo, Sink = true)] string? repo = null,
        [Description("the workflow's id or file name, such as release.yml"), GateArgument(Sink = true)] string? workflow = null,
        [Description(RefHelp), GateArgument(ArgumentKind.Ref, Sink = true)] string? @ref = null,
        [Description("workflow_dispatch inputs, a JSON object of strings, numbers or booleans"), GateArgument(JsonObject = true)] string? inputs = null,
        [FromKernelServices] ToolInvocation? call = null,
        CancellationToken cancellationToken = default) => Guard(call, async () =>
    {
        var repository = DeployArguments.Repo(repo);
        var dispatch = new WorkflowDispatch(DeployArguments.Workflow(workflow), DeployArguments.Ref(@ref), DeployArguments.Inputs(inputs));
        await github.DispatchWorkflowAsync(repository, dispatch, cancellationToken);
        return new ToolResult(true, $"dispatched workflow {dispatch.Workflow} of {repository} on {dispatch.Ref}");
    }, cancellationToken);

    [KernelFunction("merge_pull_request"), Description("Merge a pull request.")]
    [ToolGate(ToolEffect.Destructive, ToolReach.External)]
    public Task<ToolResult> MergePullRequestAsync(
        [Description(RepoHelp), GateArgument(ArgumentKind.Repo, Sink = true)] string? repo = null,
        [Description("the pull request number"), GateArgument(ArgumentKind.Number, Sink = true)] string? number = null,
        [Description("merge (default), squash or rebase")] string? method = null,
        [Description("the full head commit SHA the merge is for (see deploy.list_pull_requests)"), GateArgument(ArgumentKind.Sha, Name = "expected_head_sha")] string? expectedHeadSha = null,
        [FromKernelServices] ToolInvocation? call = null,
        CancellationToken cancellationToken = default) => Guard(call, async () =>
    {
        var repository = DeployArguments.Repo(repo);
        var request = new MergeRequest(DeployArguments.Number(number), DeployArguments.Method(method), DeployArguments.ExpectedHeadSha(expectedHeadSha));
        var result = await github.MergeAsync(repository, request, cancellationToken);
        return result.Merged
            ? new ToolResult(true, $"merged pull request #{request.Number} of {repository} ({request.Method}) as {result.Sha}")
            : new ToolResult(false, $"pull request #{request.Number} of {repository} was not merged: {result.Message}");
    }, cancellationToken);

    [KernelFunction("rollback"), Description("Redeploy the last successful ref of an environment.")]
    [ToolGate(ToolEffect.Destructive, ToolReach.External)]
    public Task<ToolResult> RollbackAsync(
        [Description(RepoHelp), GateArgument(ArgumentKind.Repo, Sink = true)] string? repo = null,
        [Description(EnvironmentHelp), GateArgument(ArgumentKind.Environment, Sink = true)] string? environment = null,
        [FromKernelServices] ToolInvocation? call = null,
        CancellationToken cancellationToken = default) => Guard(call, () => RollbackAsync(DeployArguments.Repo(repo), DeployArguments.Environment(environment), Invocation(call), cancellationToken), cancellationToken);

    private static ToolInvocation Invocation(ToolInvocation? call) =>
        call ?? throw new InvalidOperationException("a deploy function needs its invocation (run and call ids)");

    private async Task<ToolResult> Guard(ToolInvocation? call, Func<Task<ToolResult>> run, CancellationToken cancellationToken)
    {
        try
        {
            return await run();
        }
        catch (ArgumentException ex)
        {
            return new ToolResult(false, ex.Message);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ToolResult(false, github.Redact(GitHubErrors.Describe(ex, Invocation(call), time)));
        }
    }
}
