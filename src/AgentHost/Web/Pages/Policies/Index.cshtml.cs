using System.Text.Json;
using AgentHost.Agents;
using AgentHost.Auth;
using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;
using AgentHost.Mcp;
using AgentHost.Policies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AgentHost.Web.Pages.Policies;

/// <summary>
/// The loaded policy set (hash, files, rules), its recent load history, and the what-if form: the same
/// reader and evaluator as POST /api/policy/evaluate, for a stored agent or an inline one.
/// </summary>
public sealed class IndexModel(PolicyProvider provider, PolicyHistory history, EmployeeDirectory directory, AgentStore agents, AgentAccess access, ToolCatalog catalog, McpServers mcp, McpApprovals mcpApprovals, PolicyReplayer replayer) : PageModel
{
    /// <summary>Security and admins replay a candidate against the recorded calls (POST /api/policy/replay's rules).</summary>
    public bool CanReplay => User.IsInRole(Roles.Security) || User.IsInRole(Roles.Admin);

    [BindProperty]
    public string? ReplayFile { get; set; }

    [BindProperty]
    public string? ReplayText { get; set; }

    [BindProperty]
    public string? ReplayRemove { get; set; }

    [BindProperty]
    public string? ReplaySince { get; set; }

    public ReplayView? Replay { get; private set; }

    /// <summary>The MCP servers, their tools with state and diffs; admins approve a server's list here.</summary>
    public IReadOnlyList<McpServerView> McpServers => [.. mcp.Slots.OrderBy(s => s.Name, StringComparer.Ordinal).Select(McpServerView.From)];

    public bool CanApproveMcp => User.IsInRole(Roles.Admin);

    /// <summary>The outcome of the last approval on this page, shown above the servers.</summary>
    public string? McpMessage { get; private set; }

    public PolicySet Current => provider.Current;

    public IReadOnlyList<PolicyLoadRecord> History => history.Recent();

    public ToolCatalog Catalog => catalog;

    public IReadOnlyList<Agent> MyAgents { get; private set; } = [];

    [BindProperty]
    public string? Function { get; set; }

    [BindProperty]
    public string? Arguments { get; set; }

    [BindProperty]
    public string? AgentId { get; set; }

    [BindProperty]
    public string? Tools { get; set; }

    [BindProperty]
    public string? Scopes { get; set; }

    [BindProperty]
    public string? Requester { get; set; }

    [BindProperty]
    public string? Tainted { get; set; }

    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public PolicyDecision? Decision { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => MyAgents = await agents.ListAsync(User.Email(), cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        MyAgents = await agents.ListAsync(User.Email(), cancellationToken);
        var arguments = ParseArguments();
        EvaluateAgent? agent = new(User.Email(), Split(Tools) is { Count: > 0 } tools ? tools : null, ParseScopes());
        if (!string.IsNullOrWhiteSpace(AgentId))
        {
            var stored = await agents.GetAsync(AgentId, cancellationToken);
            if (stored is null || !access.CanRead(User, stored))
            {
                Errors["agentId"] = ["no such agent that you may see"];
            }
            else
            {
                agent = EvaluateAgent.From(stored);
            }
        }

        var request = Errors.Count > 0 ? null : EvaluateRequestReader.Read(
            new EvaluateRequest(Function, arguments, agent, string.IsNullOrWhiteSpace(Requester) ? null : Requester.Trim(), Split(Tainted)),
            User.Email(),
            directory,
            catalog,
            Errors);
        if (request is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Decision = provider.Current.Evaluate(request, directory);
        return Page();
    }

    /// <summary>Replays the candidate (the folder with one file put in or taken out) over the recorded calls.</summary>
    public async Task<IActionResult> OnPostReplayAsync(CancellationToken cancellationToken)
    {
        if (!CanReplay)
        {
            return Forbid();
        }

        MyAgents = await agents.ListAsync(User.Email(), cancellationToken);
        var request = new ReplayRequest(
            ReplaySince,
            string.IsNullOrWhiteSpace(ReplayFile) && string.IsNullOrEmpty(ReplayText) ? [] : [new CandidateFile(ReplayFile, ReplayText)],
            string.IsNullOrWhiteSpace(ReplayRemove) ? [] : [ReplayRemove]);
        if (ReplayCandidate.Read(request, provider, replayer.DefaultWindow, Errors) is not var (candidate, window))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        Replay = await replayer.ReplayViewAsync(provider.Current, candidate, window, cancellationToken);
        return Page();
    }

    /// <summary>Approves the tool list the admin saw: each tool shown with its hash, checked by the same service as the API.</summary>
    public async Task<IActionResult> OnPostApproveMcpAsync(string? server, string[]? tool, string[]? hash, CancellationToken cancellationToken)
    {
        if (!CanApproveMcp)
        {
            return Forbid();
        }

        MyAgents = await agents.ListAsync(User.Email(), cancellationToken);
        tool ??= [];
        hash ??= [];
        var shown = tool.Zip(hash).GroupBy(t => t.First, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Second, StringComparer.Ordinal);
        var result = await mcpApprovals.ApproveAsync(server ?? string.Empty, shown, User.Email(), cancellationToken);
        Response.StatusCode = result.Status;
        McpMessage = result.Refusal ?? $"Approved the tool list of {server}: {shown.Count} tools pinned.";
        return Page();
    }

    private Dictionary<string, JsonElement>? ParseArguments()
    {
        if (string.IsNullOrWhiteSpace(Arguments))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Arguments);
        }
        catch (JsonException)
        {
            Errors["arguments"] = ["must be a JSON object, e.g. {\"to\": [\"someone@partner.test\"]}"];
            return null;
        }
    }

    /// <summary>One scope a line: key = value, value.</summary>
    private Dictionary<string, List<string>>? ParseScopes()
    {
        var scopes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in (Scopes ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                Errors["scopes"] = [$"'{line}' is not key = value, value"];
                continue;
            }

            scopes[line[..equals].Trim()] = Split(line[(equals + 1)..]);
        }

        return scopes.Count == 0 ? null : scopes;
    }

    private static List<string> Split(string? text) =>
        [.. (text ?? string.Empty).Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
