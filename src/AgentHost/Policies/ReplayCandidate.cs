using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Loading;

namespace AgentHost.Policies;

/// <summary>
/// Reads a replay request into the candidate set and the period, for the API and the policies page
/// alike; every problem is named by its field (since, files), a policy error by file name and line.
/// </summary>
public static class ReplayCandidate
{
    public const int MaxFileCharacters = 256 * 1024;
    public const int MaxFiles = 50;
    private static readonly TimeSpan MaxWindow = TimeSpan.FromDays(400);

    public static (PolicySet Set, TimeSpan Window)? Read(ReplayRequest request, PolicyProvider provider, TimeSpan defaultWindow, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(errors);
        var window = defaultWindow;
        if (!string.IsNullOrWhiteSpace(request.Since))
        {
            if (DurationText.Parse(request.Since.Trim()) is { } parsed && parsed <= MaxWindow)
            {
                window = parsed;
            }
            else
            {
                errors["since"] = ["a duration back from now such as 7d, 24h or 90m, at most 400d"];
            }
        }

        var changes = Changes(request, errors);
        if (errors.Count > 0 || changes is null)
        {
            return null;
        }

        var loaded = provider.LoadCandidate(changes);
        if (loaded.PolicySet is not { } set)
        {
            // File names only: the host's paths are nobody's business.
            errors["files"] = [.. loaded.Errors.Select(e => (e with { File = Path.GetFileName(e.File) }).ToString())];
            return null;
        }

        return (set, window);
    }

    private static Dictionary<string, string?>? Changes(ReplayRequest request, Dictionary<string, string[]> errors)
    {
        var problems = new List<string>();
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        var files = request.Files ?? [];
        var removed = request.Remove ?? [];
        if (files.Count + removed.Count > MaxFiles)
        {
            problems.Add($"at most {MaxFiles} files in one candidate");
        }

        foreach (var file in files)
        {
            var name = file.Name?.Trim() ?? string.Empty;
            if (name.Length == 0 || file.Text is null)
            {
                problems.Add("each file needs a name and its text");
            }
            else if (file.Text.Length > MaxFileCharacters)
            {
                problems.Add($"{name}: longer than {MaxFileCharacters} characters");
            }
            else if (!Add(changes, name, file.Text))
            {
                problems.Add($"{name}: named twice");
            }
        }

        foreach (var name in removed.Select(r => r?.Trim() ?? string.Empty))
        {
            if (!Add(changes, name, null))
            {
                problems.Add($"{name}: named twice");
            }
        }

        if (problems.Count > 0)
        {
            errors["files"] = [.. problems.Distinct(StringComparer.Ordinal)];
            return null;
        }

        return changes;
    }

    // Rules.yaml and rules.yaml in one candidate are one file named twice, whatever the file system says.
    private static bool Add(Dictionary<string, string?> changes, string name, string? text)
    {
        if (changes.Keys.Any(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        changes[name] = text;
        return true;
    }
}
