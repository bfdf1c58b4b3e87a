namespace AgentHost.Plugins.Deploy.Api;

/// <summary>A pull request as the tools show it. Title and body are written by whoever opened it.</summary>
public sealed record PullRequestSummary(int Number, string State, string Title, string Author, string HeadRef, string HeadSha, string BaseRef, string? Body);

/// <summary>One deployment; <see cref="Key"/> is the idempotency key this host put in its payload, if any.</summary>
public sealed record DeploymentSummary(long Id, string Environment, string Ref, string Sha, string? Description, string? Key, DateTimeOffset CreatedAt);

/// <summary>What the tools ask GitHub to deploy; <see cref="Key"/> makes a retried call find its first deployment.</summary>
public sealed record DeploymentRequest(string Ref, string Environment, string Description, string Key);

/// <summary>A workflow_dispatch: the workflow by id or file name, the ref to run it on, its inputs.</summary>
public sealed record WorkflowDispatch(string Workflow, string Ref, IReadOnlyDictionary<string, object> Inputs);

/// <summary>A merge that GitHub performs only while the head is still <see cref="ExpectedHeadSha"/>.</summary>
public sealed record MergeRequest(int Number, string Method, string ExpectedHeadSha);

public sealed record MergeResult(bool Merged, string Sha, string Message);
