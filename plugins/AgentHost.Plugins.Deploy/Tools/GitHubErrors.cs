using System.Globalization;
using System.Net;
using AgentHost.Core.Tools;
using Octokit;

namespace AgentHost.Plugins.Deploy.Tools;

/// <summary>
/// Turns what Octokit throws into a sentence the model and the audit trail can use. Only GitHub's own
/// message is quoted, never a request or header, so the token cannot travel with it.
/// </summary>
internal static class GitHubErrors
{
    public static string Describe(Exception error, ToolInvocation call, TimeProvider time) => error switch
    {
        PullRequestMismatchException => $"head changed since approval, not merged: pull request #{Argument(call, "number")} no longer has head {Argument(call, "expected_head_sha")} (GitHub: {Message(error)}); list the pull requests again and ask for a new approval",
        PullRequestNotMergeableException => $"pull request #{Argument(call, "number")} cannot be merged (GitHub: {Message(error)}); it may be closed, already merged, or blocked by branch protection",
        RateLimitExceededException limited => RateLimited(limited, time),
        SecondaryRateLimitExceededException => $"GitHub's secondary rate limit stopped {call.Function} (GitHub: {Message(error)}); wait a minute before trying again",
        AuthorizationException => $"GitHub refused the credentials ({Message(error)}): the host's GitHub:Token is wrong, expired or revoked",
        ForbiddenException => $"GitHub forbade {call.Function} on {Argument(call, "repo")} (GitHub: {Message(error)}): the token lacks the permission",
        NotFoundException => call.Function == "deploy.merge_pull_request"
            ? $"pull request #{Argument(call, "number")} of {Argument(call, "repo")} not found, or the token cannot see the repository"
            : call.Function == "deploy.trigger_workflow"
                ? $"workflow {Argument(call, "workflow")} of {Argument(call, "repo")} not found, or the token cannot see the repository"
                : $"repository {Argument(call, "repo")} not found, or the token cannot see it",
        ApiValidationException invalid => $"GitHub rejected the input of {call.Function} (422): {Message(error)}{Details(invalid)}",
        ApiException { StatusCode: (HttpStatusCode)429 } => $"GitHub rate limit exhausted (429): {Message(error)}",
        ApiException api => $"GitHub answered {(int)api.StatusCode} to {call.Function}: {Message(error)}",
        OperationCanceledException => $"GitHub did not answer {call.Function} in time",
        _ => $"GitHub could not be reached for {call.Function}: {error.GetType().Name}",
    };

    private static string RateLimited(RateLimitExceededException limited, TimeProvider time)
    {
        var wait = limited.Reset - time.GetUtcNow();
        var minutes = Math.Max(0, (int)Math.Ceiling(wait.TotalMinutes));
        return string.Create(CultureInfo.InvariantCulture, $"GitHub rate limit exhausted ({limited.Remaining} of {limited.Limit} requests left); it resets at {limited.Reset.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} (in about {minutes} min); try again after that");
    }

    private static string Message(Exception error) =>
        error is ApiException { ApiError.Message: { Length: > 0 } message } ? message : error is ApiException api ? api.StatusCode.ToString() : error.GetType().Name;

    private static string Details(ApiValidationException invalid) =>
        invalid.ApiError?.Errors is { Count: > 0 } errors
            ? " (" + string.Join("; ", errors.Select(e => string.Join(" ", new[] { e.Field, e.Code, e.Message }.Where(s => !string.IsNullOrEmpty(s))))) + ")"
            : string.Empty;

    private static string Argument(ToolInvocation call, string name) =>
        call.Arguments.TryGetValue(name, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty : string.Empty;
}
