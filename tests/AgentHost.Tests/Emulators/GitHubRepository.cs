using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AgentHost.Tests.Emulators;

/// <summary>
/// One repository of the GitHub emulator: branches, pull requests, deployments with their statuses and
/// workflows, shaped like GitHub's JSON so that Octokit's models deserialize. Tests seed it; the emulator's
/// handlers call it under the emulator's lock.
/// </summary>
public sealed class GitHubRepository(GitHubEmulator github, string fullName, long id, string defaultBranch)
{
    private readonly List<JsonObject> _pulls = [];
    private readonly List<JsonObject> _deployments = [];
    private readonly Dictionary<long, List<JsonObject>> _statuses = [];
    private readonly Dictionary<string, (long Id, string[] Inputs)> _workflows = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _dispatches = [];
    private readonly HashSet<string> _commits = new(StringComparer.OrdinalIgnoreCase);

    public string FullName { get; } = fullName;

    public Dictionary<string, string> Branches { get; } = new(StringComparer.Ordinal);

    /// <summary>Commit statuses are pending on every ref, so a deployment that does not waive them is refused.</summary>
    public bool PendingChecks { get; set; } = true;

    /// <summary>Collaborators by login (case-insensitive, as GitHub logins are) and their role: admin, maintain, write, triage or read.</summary>
    public Dictionary<string, string> Collaborators { get; } = new(StringComparer.OrdinalIgnoreCase);

    private string Url => $"https://api.github.com/repos/{FullName}";

    public IReadOnlyList<JsonObject> Deployments
    {
        get
        {
            lock (github.Gate)
            {
                return _deployments.Select(d => d.DeepClone().AsObject()).ToList();
            }
        }
    }

    public IReadOnlyList<JsonObject> Dispatches
    {
        get
        {
            lock (github.Gate)
            {
                return _dispatches.Select(d => d.DeepClone().AsObject()).ToList();
            }
        }
    }

    public string AddBranch(string name, string? sha = null)
    {
        lock (github.Gate)
        {
            Branches[name] = sha ?? GitHubEmulator.Sha($"{FullName}:{name}");
            return Branches[name];
        }
    }

    public void AddPullRequest(int number, string title, string body, string author, string headRef, string? baseRef = null)
    {
        var sha = AddBranch(headRef);
        lock (github.Gate)
        {
            var prId = github.NextId();
            _pulls.Add(new JsonObject
            {
                ["url"] = $"{Url}/pulls/{number}",
                ["id"] = prId,
                ["node_id"] = $"PR_{prId}",
                ["html_url"] = $"https://github.com/{FullName}/pull/{number}",
                ["number"] = number,
                ["state"] = "open",
                ["locked"] = false,
                ["title"] = title,
                ["body"] = body,
                ["user"] = User(author),
                ["created_at"] = GitHubEmulator.Timestamp(prId),
                ["updated_at"] = GitHubEmulator.Timestamp(prId),
                ["closed_at"] = null,
                ["merged_at"] = null,
                ["merge_commit_sha"] = null,
                ["draft"] = false,
                ["head"] = Ref(headRef, sha, author),
                ["base"] = Ref(baseRef ?? defaultBranch, Branches[baseRef ?? defaultBranch], FullName.Split('/')[0]),
            });
        }
    }

    /// <summary>Someone pushed to the pull request's branch.</summary>
    public string Push(int number, string commitName)
    {
        lock (github.Gate)
        {
            var pr = _pulls.Single(p => (int)p["number"]! == number);
            var sha = GitHubEmulator.Sha(commitName);
            pr["head"]!["sha"] = sha;
            Branches[(string)pr["head"]!["ref"]!] = sha;
            return sha;
        }
    }

    public bool IsMerged(int number)
    {
        lock (github.Gate)
        {
            return _pulls.Single(p => (int)p["number"]! == number)["merged_at"] is not null;
        }
    }

    public void AddWorkflow(long workflowId, string fileName, params string[] inputs)
    {
        lock (github.Gate)
        {
            _workflows[fileName] = (workflowId, inputs);
        }
    }

    /// <summary>A deployment made earlier (by people or CI), with its statuses oldest first.</summary>
    public long SeedDeployment(string environment, string gitRef, string sha, params string[] states)
    {
        lock (github.Gate)
        {
            _commits.Add(sha);
            var deployment = NewDeployment(gitRef, sha, environment, $"deploy {gitRef}", new JsonObject());
            foreach (var state in states)
            {
                AddStatus(deployment, state);
            }

            return (long)deployment["id"]!;
        }
    }

    internal (int, JsonNode?) ListPulls(IQueryCollection query)
    {
        var state = query["state"].ToString() is { Length: > 0 } s ? s : "open";
        if (state is not ("open" or "closed" or "all"))
        {
            return Invalid("PullRequest", "state");
        }

        var pulls = _pulls.Where(p => state == "all" || (string)p["state"]! == state).OrderByDescending(p => (long)p["id"]!);
        return (200, Page(pulls, query));
    }

    internal (int, JsonNode?) ListDeployments(IQueryCollection query)
    {
        IEnumerable<JsonObject> found = _deployments;
        foreach (var filter in new[] { "environment", "ref", "sha", "task" })
        {
            if (query[filter].ToString() is { Length: > 0 } value)
            {
                found = found.Where(d => (string?)d[filter] == value);
            }
        }

        return (200, Page(found.OrderByDescending(d => (long)d["id"]!), query));
    }

    internal (int, JsonNode?) CreateDeployment(JsonObject? body)
    {
        if (body?["ref"] is not JsonValue refValue || !refValue.TryGetValue<string>(out var gitRef) || gitRef.Length == 0)
        {
            return GitHubEmulator.Error(422, "Invalid request.\n\n\"ref\" wasn't supplied.");
        }

        if (Resolve(gitRef) is not { } sha)
        {
            return GitHubEmulator.Error(422, $"No ref found for: {gitRef}");
        }

        var environment = body["environment"]?.GetValue<string>() ?? "production";
        if (environment.Length is 0 or > 255)
        {
            return Invalid("Deployment", "environment");
        }

        // GitHub checks every commit status unless required_contexts says otherwise.
        if (PendingChecks && body["required_contexts"] is not JsonArray)
        {
            return GitHubEmulator.Error(409, $"Conflict: Commit status checks failed for {gitRef}.", errors: new JsonArray(new JsonObject
            {
                ["contexts"] = new JsonArray(new JsonObject { ["context"] = "ci/build", ["state"] = "pending" }),
                ["resource"] = "Deployment",
                ["field"] = "required_contexts",
                ["code"] = "invalid",
            }));
        }

        var deployment = NewDeployment(gitRef, sha, environment, body["description"]?.GetValue<string>(), body["payload"]?.DeepClone() ?? new JsonObject());
        deployment["task"] = body["task"]?.GetValue<string>() ?? "deploy";
        return (201, deployment.DeepClone());
    }

    internal (int, JsonNode?) ListStatuses(long deploymentId, IQueryCollection query) =>
        _statuses.TryGetValue(deploymentId, out var statuses)
            ? (200, Page(Enumerable.Reverse(statuses), query))
            : GitHubEmulator.Error(404, "Not Found");

    internal (int, JsonNode?) CreateStatus(long deploymentId, JsonObject? body)
    {
        var deployment = _deployments.FirstOrDefault(d => (long)d["id"]! == deploymentId);
        if (deployment is null)
        {
            return GitHubEmulator.Error(404, "Not Found");
        }

        var state = body?["state"]?.GetValue<string>();
        return state is not null && GitHubEmulator.StatusStates.Contains(state) ? (201, AddStatus(deployment, state).DeepClone()) : Invalid("DeploymentStatus", "state");
    }

    internal (int, JsonNode?) Merge(int number, JsonObject? body)
    {
        var pr = _pulls.FirstOrDefault(p => (int)p["number"]! == number);
        if (pr is null)
        {
            return GitHubEmulator.Error(404, "Not Found");
        }

        var method = body?["merge_method"]?.GetValue<string>() ?? "merge";
        if (method is not ("merge" or "squash" or "rebase"))
        {
            return Invalid("PullRequest", "merge_method");
        }

        if ((string)pr["state"]! != "open")
        {
            return GitHubEmulator.Error(405, "Pull Request is not mergeable");
        }

        if (body?["sha"]?.GetValue<string>() is { } expected && !string.Equals(expected, (string)pr["head"]!["sha"]!, StringComparison.OrdinalIgnoreCase))
        {
            return GitHubEmulator.Error(409, "Head branch was modified. Review and try the merge again.");
        }

        var mergeSha = GitHubEmulator.Sha($"{FullName}#{number}:{method}");
        var at = GitHubEmulator.Timestamp(github.NextId());
        pr["state"] = "closed";
        pr["merged_at"] = at;
        pr["closed_at"] = at;
        pr["merge_commit_sha"] = mergeSha;
        Branches[(string)pr["base"]!["ref"]!] = mergeSha;
        return (200, new JsonObject { ["sha"] = mergeSha, ["merged"] = true, ["message"] = "Pull Request successfully merged" });
    }

    internal (int, JsonNode?) Dispatch(string workflow, JsonObject? body)
    {
        var found = _workflows.FirstOrDefault(w => w.Key == workflow || w.Value.Id.ToString(CultureInfo.InvariantCulture) == workflow);
        if (found.Key is null)
        {
            return GitHubEmulator.Error(404, "Not Found");
        }

        if (body?["ref"]?.GetValue<string>() is not { Length: > 0 } gitRef)
        {
            return GitHubEmulator.Error(422, "Invalid request.\n\n\"ref\" wasn't supplied.");
        }

        if (Resolve(gitRef) is null)
        {
            return GitHubEmulator.Error(422, $"No ref found for: {gitRef}");
        }

        var unexpected = (body["inputs"] as JsonObject ?? []).Select(i => i.Key).Where(k => !found.Value.Inputs.Contains(k)).ToList();
        if (unexpected.Count > 0)
        {
            return GitHubEmulator.Error(422, $"Unexpected inputs provided: [{string.Join(", ", unexpected.Select(u => $"\"{u}\""))}]");
        }

        _dispatches.Add(new JsonObject { ["workflow"] = found.Key, ["ref"] = gitRef, ["inputs"] = body["inputs"]?.DeepClone() });
        return (204, null);
    }

    private JsonObject NewDeployment(string gitRef, string sha, string environment, string? description, JsonNode payload)
    {
        var deploymentId = github.NextId();
        var deployment = new JsonObject
        {
            ["url"] = $"{Url}/deployments/{deploymentId}",
            ["id"] = deploymentId,
            ["node_id"] = $"DE_{deploymentId}",
            ["sha"] = sha,
            ["ref"] = gitRef,
            ["task"] = "deploy",
            ["payload"] = payload,
            ["original_environment"] = environment,
            ["environment"] = environment,
            ["description"] = description,
            ["creator"] = User("agenthost-bot"),
            ["created_at"] = GitHubEmulator.Timestamp(deploymentId),
            ["updated_at"] = GitHubEmulator.Timestamp(deploymentId),
            ["statuses_url"] = $"{Url}/deployments/{deploymentId}/statuses",
            ["repository_url"] = Url,
            ["transient_environment"] = false,
            ["production_environment"] = environment.StartsWith("prod", StringComparison.Ordinal),
        };
        _deployments.Add(deployment);
        _statuses[deploymentId] = [];
        return deployment;
    }

    private JsonObject AddStatus(JsonObject deployment, string state)
    {
        var statusId = github.NextId();
        var status = new JsonObject
        {
            ["url"] = $"{deployment["url"]}/statuses/{statusId}",
            ["id"] = statusId,
            ["node_id"] = $"DES_{statusId}",
            ["state"] = state,
            ["creator"] = User("ci-bot"),
            ["description"] = state,
            ["environment"] = deployment["environment"]!.DeepClone(),
            ["target_url"] = string.Empty,
            ["log_url"] = string.Empty,
            ["environment_url"] = string.Empty,
            ["created_at"] = GitHubEmulator.Timestamp(statusId),
            ["updated_at"] = GitHubEmulator.Timestamp(statusId),
            ["deployment_url"] = deployment["url"]!.DeepClone(),
            ["repository_url"] = Url,
        };
        _statuses[(long)deployment["id"]!].Add(status);
        return status;
    }

    private string? Resolve(string gitRef) =>
        Branches.TryGetValue(gitRef, out var sha) ? sha
        : _commits.Contains(gitRef) || Branches.ContainsValue(gitRef.ToLowerInvariant()) ? gitRef.ToLowerInvariant()
        : null;

    private JsonObject Ref(string name, string sha, string owner) => new()
    {
        ["label"] = $"{owner}:{name}",
        ["ref"] = name,
        ["sha"] = sha,
        ["user"] = User(owner),
        ["repo"] = new JsonObject { ["id"] = id, ["node_id"] = $"R_{id}", ["name"] = FullName.Split('/')[1], ["full_name"] = FullName, ["owner"] = User(FullName.Split('/')[0]), ["private"] = true, ["url"] = Url, ["html_url"] = $"https://github.com/{FullName}", ["default_branch"] = defaultBranch },
    };

    private static JsonObject User(string login) => new()
    {
        ["login"] = login,
        ["id"] = Math.Abs(login.GetHashCode(StringComparison.Ordinal)) % 1_000_000,
        ["node_id"] = $"U_{login}",
        ["type"] = login.EndsWith("-bot", StringComparison.Ordinal) ? "Bot" : "User",
        ["site_admin"] = false,
        ["url"] = $"https://api.github.com/users/{login}",
        ["html_url"] = $"https://github.com/{login}",
    };

    private static JsonArray Page(IEnumerable<JsonObject> items, IQueryCollection query)
    {
        var perPage = int.TryParse(query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 1, 100) : 30;
        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        return new JsonArray([.. items.Skip((page - 1) * perPage).Take(perPage).Select(i => (JsonNode)i.DeepClone())]);
    }

    private static (int, JsonNode?) Invalid(string resource, string field) =>
        GitHubEmulator.Error(422, "Validation Failed", errors: new JsonArray(new JsonObject { ["resource"] = resource, ["field"] = field, ["code"] = "invalid" }));
}
