namespace AgentHost.Policies;

/// <summary>
/// POST /api/policy/replay: the candidate is the policy folder with <see cref="Files"/> put in (new
/// text for a file name, added or replacing) and <see cref="Remove"/> taken out; <see cref="Since"/> is a
/// duration back from now ("7d", "24h"; the configured window when empty).
/// </summary>
public sealed record ReplayRequest(string? Since, IReadOnlyList<CandidateFile>? Files, IReadOnlyList<string>? Remove);

/// <summary>One policy file of a candidate: a bare name (rules.yaml) and its YAML.</summary>
public sealed record CandidateFile(string? Name, string? Text);
