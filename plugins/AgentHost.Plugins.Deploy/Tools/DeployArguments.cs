using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Deploy.Api;

namespace AgentHost.Plugins.Deploy.Tools;

/// <summary>
/// Reads and checks the model's arguments before any request: a bad one fails with a message naming it,
/// which the model can act on, instead of a GitHub error about a URL it never saw.
/// </summary>
internal static partial class DeployArguments
{
    public static RepositoryName Repo(string? value) => RepositoryName.Parse(ToolText.Required(value, "repo"));

    public static string Environment(string? value) => CheckEnvironment(ToolText.Required(value, "environment"));

    public static string? OptionalEnvironment(string? value) => value is { Length: > 0 } ? CheckEnvironment(value) : null;

    public static string Ref(string? text)
    {
        var value = ToolText.Required(text, "ref");

        // git check-ref-format, the parts a model could plausibly get wrong.
        if (value.Length > 255 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '~' or '^' or ':' or '?' or '*' or '[' or '\\')
            || value.Contains("..", StringComparison.Ordinal) || value.StartsWith('/') || value.EndsWith('/') || value.EndsWith(".lock", StringComparison.Ordinal))
        {
            throw new ArgumentException($"ref: \"{value}\" is not a valid branch, tag or commit SHA");
        }

        return value;
    }

    public static string State(string? value) => value switch
    {
        null or "" => "open",
        var s when s is "open" or "closed" or "all" => s,
        var other => throw new ArgumentException($"state: open, closed or all, got \"{other}\""),
    };

    public static int Number(string? value) =>
        int.TryParse(ToolText.Required(value, "number").TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException("number: the pull request number, a whole number above 0");

    public static string Method(string? value) => value switch
    {
        null or "" => "merge",
        var m when m is "merge" or "squash" or "rebase" => m,
        var other => throw new ArgumentException($"method: merge, squash or rebase, got \"{other}\""),
    };

    public static string ExpectedHeadSha(string? text)
    {
        // Required so that an approval signs off one exact commit, not whatever the branch holds when it runs.
        var value = text ?? throw new ArgumentException("expected_head_sha: required, the full head commit SHA the merge was approved for (see deploy.list_pull_requests)");
        return Sha().IsMatch(value) ? value.ToLowerInvariant() : throw new ArgumentException("expected_head_sha: a full commit SHA (40 hexadecimal characters)");
    }

    public static string Workflow(string? text)
    {
        var value = ToolText.Required(text, "workflow");
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) || WorkflowFile().IsMatch(value)
            ? value
            : throw new ArgumentException($"workflow: a workflow id or a file name such as release.yml, got \"{value}\"");
    }

    public static string Description(string? text, string fallback)
    {
        var value = text ?? fallback;
        return value.Length <= 140 ? value : throw new ArgumentException("description: at most 140 characters");
    }

    /// <summary>workflow_dispatch inputs: a JSON object of strings, numbers or booleans (GitHub takes nothing nested).</summary>
    public static IReadOnlyDictionary<string, object> Inputs(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return new Dictionary<string, object>();
        }

        JsonElement element;
        try
        {
            element = JsonDocument.Parse(raw).RootElement;
        }
        catch (JsonException)
        {
            throw new ArgumentException("inputs: expected a JSON object such as {\"version\": \"1.2.3\"}");
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException("inputs: expected a JSON object such as {\"version\": \"1.2.3\"}");
        }

        var inputs = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            inputs[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.True or JsonValueKind.False => property.Value.GetBoolean(),
                JsonValueKind.Number => property.Value.GetRawText(),
                _ => throw new ArgumentException($"inputs.{property.Name}: a string, number or boolean"),
            };
        }

        return inputs;
    }

    private static string CheckEnvironment(string value) =>
        value.Length <= 255 && !value.Any(char.IsControl) && value.Trim().Length == value.Length
            ? value
            : throw new ArgumentException($"environment: a GitHub environment name such as staging or production, got \"{value}\"");

    [GeneratedRegex("^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$", RegexOptions.CultureInvariant)]
    private static partial Regex Sha();

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,100}\.ya?ml$", RegexOptions.CultureInvariant)]
    private static partial Regex WorkflowFile();
}
