using System.Text.Json;
using AgentHost.Core.Employees;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;

namespace AgentHost.Policies;

/// <summary>Validates a what-if request field by field and builds the policy request from it.</summary>
public static class EvaluateRequestReader
{
    private const int MaxValues = 100;
    private const int MaxValueLength = 4096;

    public static PolicyRequest? Read(EvaluateRequest body, string caller, EmployeeDirectory directory, ToolCatalog catalog, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(body.Function))
        {
            errors["function"] = ["is required, e.g. email.send"];
        }

        var owner = body.Agent?.Owner;
        if (body.Agent is null)
        {
            errors["agent"] = ["is required: {owner, tools, scopes}"];
        }
        else if (string.IsNullOrWhiteSpace(owner) || directory.FindByEmail(owner) is null)
        {
            errors["agent.owner"] = ["must be an employee of the directory"];
        }

        var requester = body.Requester ?? caller;
        if (directory.FindByEmail(requester) is null)
        {
            errors["requester"] = ["must be an employee of the directory"];
        }

        foreach (var key in body.Agent?.Scopes?.Keys ?? Enumerable.Empty<string>())
        {
            if (!catalog.TryGetScope(key, out _))
            {
                errors[$"agent.scopes.{key}"] = [$"unknown scope (known: {string.Join(", ", catalog.ScopeKeys)})"];
            }
        }

        var arguments = new Dictionary<string, ToolArgumentValue>(StringComparer.Ordinal);
        foreach (var (name, value) in body.Arguments ?? [])
        {
            if (ToValue(value) is { } converted)
            {
                arguments[name] = converted;
            }
            else
            {
                errors[$"arguments.{name}"] = [$"must be a text, number, boolean or a list of up to {MaxValues} texts of at most {MaxValueLength} characters"];
            }
        }

        if (errors.Count > 0)
        {
            return null;
        }

        var agent = AgentContext.Create(
            null,
            owner!,
            body.Agent!.Tools ?? [body.Function!],
            body.Agent.Scopes?.ToDictionary(s => s.Key, s => (IEnumerable<string>)s.Value));
        // Normalised as the gate does (environment case, ref prefixes, addresses), so a preview matches the real decision.
        return new PolicyRequest(body.Function!, AgentHost.Core.Gate.ArgumentNormalizer.Normalize(catalog, body.Function!, arguments), agent, requester, new HashSet<string>(body.Tainted ?? [], StringComparer.Ordinal));
    }

    private static ToolArgumentValue? ToValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString()!.Length <= MaxValueLength => (ToolArgumentValue?)new ToolArgumentValue(value.GetString()!),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => new ToolArgumentValue(value.GetRawText()),
        JsonValueKind.Object when value.GetRawText().Length <= MaxValueLength => new ToolArgumentValue(value.GetRawText()),
        JsonValueKind.Array when value.GetArrayLength() <= MaxValues
            && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String && v.GetString()!.Length <= MaxValueLength)
            => new ToolArgumentValue(value.EnumerateArray().Select(v => v.GetString()!).ToArray()),
        _ => null,
    };
}
