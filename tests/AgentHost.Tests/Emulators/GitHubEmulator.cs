using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentHost.Tests.Emulators;

/// <summary>
/// GitHub's REST API on loopback for the endpoints the deploy plugin uses, following the public contract:
/// a User-Agent or 403, "token X"/"Bearer X" or 401 Bad credentials, rate-limit headers on every answer and
/// 403 with X-RateLimit-Remaining: 0 once the budget is spent, GitHub's {"message","errors","documentation_url"}
/// errors, 404 for repositories it does not know, 422 for refs it cannot resolve, 405/409 on merge. It serves
/// under /api/v3/ too, because Octokit puts that prefix on any host other than api.github.com (GitHub
/// Enterprise Server's layout). Every request is recorded.
/// </summary>
public sealed partial class GitHubEmulator : IAsyncDisposable
{
    public const string Token = "ghp_EmulatorToken0123456789abcdefABCDEF";
    public const string Docs = "https://docs.github.com/rest";
    public const int RateLimit = 5000;

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    internal static readonly HashSet<string> StatusStates = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<GitHubCall> _calls = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, GitHubRepository> _repos = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _users = new(StringComparer.OrdinalIgnoreCase);
    private long _nextId = 1000;
    private int _remaining = RateLimit;

    private GitHubEmulator(WebApplication app) => _app = app;

    /// <summary>The base URL to configure (GitHub:ApiBaseUrl); Octokit adds api/v3/ to it.</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    public IReadOnlyCollection<GitHubCall> Calls => _calls;

    /// <summary>Requests left in the rate-limit window; at 0 every request is refused until a test raises it.</summary>
    public int RateLimitRemaining
    {
        get => Volatile.Read(ref _remaining);
        set => Volatile.Write(ref _remaining, value);
    }

    /// <summary>GitHub answers an exhausted primary limit with 403 or 429; tests pick which.</summary>
    public int RateLimitedStatus { get; set; } = 403;

    public DateTimeOffset RateLimitReset { get; set; } = TimeProvider.System.GetUtcNow().AddHours(1);

    public static async Task<GitHubEmulator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new GitHubEmulator(app);
        app.Map("/{**path}", (Delegate)emulator.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.ApiBaseUrl = new Uri(address + "/");
        return emulator;
    }

    public GitHubRepository AddRepository(string fullName, string defaultBranch = "main")
    {
        lock (_gate)
        {
            var repo = new GitHubRepository(this, fullName, NextId(), defaultBranch);
            repo.Branches[defaultBranch] = Sha("main-0");
            _repos[fullName] = repo;
            return repo;
        }
    }

    /// <summary>A GitHub account; a login GitHub does not know is 404 on the permission endpoint.</summary>
    public void AddUser(string login)
    {
        lock (_gate)
        {
            _users.Add(login);
        }
    }

    /// <summary>Gives a user a role on a repository (admin, maintain, write, triage, read); the user becomes known.</summary>
    public void SetPermission(string repository, string login, string role)
    {
        lock (_gate)
        {
            _users.Add(login);
            _repos[repository].Collaborators[login] = role;
        }
    }

    public void RemoveCollaborator(string repository, string login)
    {
        lock (_gate)
        {
            _repos[repository].Collaborators.Remove(login);
        }
    }

    public IReadOnlyList<GitHubCall> CallsTo(string method, string pathSuffix) =>
        _calls.Where(c => c.Method == method && c.Path.EndsWith(pathSuffix, StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>A deterministic 40-hex commit SHA for a name, so tests can refer to commits by name.</summary>
    public static string Sha(string name) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..40];

    internal long NextId() => Interlocked.Increment(ref _nextId);

    internal static string Timestamp(long id) => Epoch.AddSeconds(id - 1000).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    internal Lock Gate => _gate;

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        if (path.StartsWith("/api/v3/", StringComparison.Ordinal))
        {
            path = path["/api/v3".Length..];
        }

        JsonNode? body = null;
        var malformed = false;
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                body = await JsonNode.ParseAsync(request.Body);
            }
            catch (JsonException)
            {
                malformed = true;
            }
        }

        var (status, answer) = Answer(context, request.Method, path, body, malformed);
        _calls.Enqueue(new GitHubCall(request.Method, path, request.QueryString.Value ?? string.Empty, body as JsonObject, status));
        return answer is null ? Results.StatusCode(status) : Results.Json(answer, statusCode: status);
    }

    private (int Status, JsonNode? Body) Answer(HttpContext context, string method, string path, JsonNode? body, bool malformed)
    {
        var headers = context.Response.Headers;

        // GitHub refuses requests without a User-Agent before anything else.
        if (string.IsNullOrWhiteSpace(context.Request.Headers.UserAgent))
        {
            return Error(403, "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other possible causes.");
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return Error(401, "Requires authentication");
        }

        // The scheme is case-insensitive (RFC 9110 section 11.1); Octokit sends "Token".
        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || authorization[..space].ToLowerInvariant() is not ("token" or "bearer") || authorization[(space + 1)..] != Token)
        {
            return Error(401, "Bad credentials");
        }

        var remaining = Volatile.Read(ref _remaining);
        var spent = remaining > 0 && Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) == remaining;
        headers["X-RateLimit-Limit"] = RateLimit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = Math.Max(0, spent ? remaining - 1 : RateLimitRemaining).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = RateLimitReset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Used"] = (RateLimit - Math.Max(0, RateLimitRemaining)).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Resource"] = "core";
        if (!spent)
        {
            return Error(RateLimitedStatus, "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api");
        }

        if (malformed)
        {
            return Error(400, "Problems parsing JSON");
        }

        if (method == "GET" && path == "/user/repos")
        {
            lock (_gate)
            {
                return UserRepos(context);
            }
        }

        var match = Route().Match(path);
        if (!match.Success)
        {
            return Error(404, "Not Found");
        }

        lock (_gate)
        {
            if (!_repos.TryGetValue($"{match.Groups["owner"].Value}/{match.Groups["repo"].Value}", out var repo))
            {
                return Error(404, "Not Found");
            }

            var query = context.Request.Query;
            var rest = match.Groups["rest"].Value;
            return (method, rest) switch
            {
                ("GET", "/pulls") => repo.ListPulls(query),
                ("GET", "/deployments") => repo.ListDeployments(query),
                ("POST", "/deployments") => repo.CreateDeployment(body as JsonObject),
                _ when StatusesRoute().Match(rest) is { Success: true } s && method is "GET" or "POST" =>
                    method == "GET" ? repo.ListStatuses(long.Parse(s.Groups[1].Value, CultureInfo.InvariantCulture), query) : repo.CreateStatus(long.Parse(s.Groups[1].Value, CultureInfo.InvariantCulture), body as JsonObject),
                ("PUT", _) when MergeRoute().Match(rest) is { Success: true } m => repo.Merge(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), body as JsonObject),
                ("POST", _) when DispatchRoute().Match(rest) is { Success: true } d => repo.Dispatch(Uri.UnescapeDataString(d.Groups[1].Value), body as JsonObject),
                ("GET", _) when PermissionRoute().Match(rest) is { Success: true } p => Permission(repo, Uri.UnescapeDataString(p.Groups[1].Value)),
                _ => Error(404, "Not Found"),
            };
        }
    }

    // GET /user/repos: every repository the token reaches (here: all of them), by full name, per_page
    // (1-100, default 30) and page (from 1), with GitHub's Link header naming the next and last pages.
    private (int Status, JsonNode? Body) UserRepos(HttpContext context)
    {
        var query = context.Request.Query;
        var perPage = int.TryParse(query["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? Math.Clamp(p, 1, 100) : 30;
        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        var all = _repos.Values.OrderBy(r => r.FullName, StringComparer.OrdinalIgnoreCase).ToList();
        var last = Math.Max(1, (all.Count + perPage - 1) / perPage);
        if (page < last)
        {
            var self = $"{ApiBaseUrl}user/repos?per_page={perPage}";
            context.Response.Headers["Link"] = $"<{self}&page={page + 1}>; rel=\"next\", <{self}&page={last}>; rel=\"last\"";
        }

        return (200, new JsonArray([.. all.Select((r, i) => (Repo: r, Id: 1000 + i)).Skip((page - 1) * perPage).Take(perPage).Select(x => (JsonNode)new JsonObject
        {
            ["id"] = x.Id,
            ["name"] = x.Repo.FullName.Split('/')[1],
            ["full_name"] = x.Repo.FullName,
            ["private"] = true,
            ["owner"] = new JsonObject { ["login"] = x.Repo.FullName.Split('/')[0], ["type"] = "Organization" },
            ["permissions"] = new JsonObject { ["admin"] = false, ["push"] = true, ["pull"] = true },
        })]));
    }

    // GitHub answers in base roles (maintain is write, triage is read) and names the finer role in role_name;
    // a known user without access has "none", an unknown login is 404.
    private (int Status, JsonNode? Body) Permission(GitHubRepository repo, string login)
    {
        if (!_users.Contains(login))
        {
            return Error(404, "Not Found");
        }

        var role = repo.Collaborators.GetValueOrDefault(login) ?? "none";
        var permission = role switch { "maintain" => "write", "triage" => "read", _ => role };
        return (200, new JsonObject
        {
            ["permission"] = permission,
            ["role_name"] = role,
            ["user"] = new JsonObject { ["login"] = login, ["id"] = NextId(), ["type"] = "User", ["site_admin"] = false },
        });
    }

    internal static (int Status, JsonNode? Body) Error(int status, string message, string documentation = Docs, JsonArray? errors = null)
    {
        var error = new JsonObject { ["message"] = message };
        if (errors is not null)
        {
            error["errors"] = errors;
        }

        error["documentation_url"] = documentation;
        error["status"] = status.ToString(CultureInfo.InvariantCulture);
        return (status, error);
    }

    [GeneratedRegex(@"^/repos/(?<owner>[^/]+)/(?<repo>[^/]+)(?<rest>/.*)$")]
    private static partial Regex Route();

    [GeneratedRegex(@"^/deployments/(\d+)/statuses$")]
    private static partial Regex StatusesRoute();

    [GeneratedRegex(@"^/pulls/(\d+)/merge$")]
    private static partial Regex MergeRoute();

    [GeneratedRegex(@"^/collaborators/([^/]+)/permission$")]
    private static partial Regex PermissionRoute();

    [GeneratedRegex(@"^/actions/workflows/([^/]+)/dispatches$")]
    private static partial Regex DispatchRoute();
}

/// <summary>One request as the emulator saw it, with the status it answered.</summary>
public sealed record GitHubCall(string Method, string Path, string Query, JsonObject? Body, int Status);
