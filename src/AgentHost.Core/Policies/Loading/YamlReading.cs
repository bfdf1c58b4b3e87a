using YamlDotNet.RepresentationModel;

namespace AgentHost.Core.Policies.Loading;

/// <summary>Small typed reads of YAML nodes that record an error at the node instead of throwing.</summary>
internal sealed class YamlReading(string file, List<PolicyError> errors)
{
    public string File { get; } = file;

    public int ErrorCount => errors.Count;

    public void Error(YamlNode node, string message) => errors.Add(new PolicyError(File, node.Start.Line, node.Start.Column, message));

    public string? Scalar(YamlNode node, string what)
    {
        if (node is YamlScalarNode { Value: { Length: > 0 } value })
        {
            return value;
        }

        Error(node, $"{what} must be a non-empty text value");
        return null;
    }

    public List<string>? ScalarList(YamlNode node, string what)
    {
        if (node is YamlScalarNode)
        {
            return Scalar(node, what) is { } single ? [single] : null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            Error(node, $"{what} must be a value or a list of values");
            return null;
        }

        var values = new List<string>();
        foreach (var item in sequence)
        {
            if (Scalar(item, what) is { } value)
            {
                values.Add(value);
            }
        }

        return values;
    }

    /// <summary>The mapping's entries by key, with unknown keys reported where they stand.</summary>
    public Dictionary<string, (YamlNode Key, YamlNode Value)>? Mapping(YamlNode node, string what, IReadOnlySet<string> allowedKeys)
    {
        if (node is not YamlMappingNode mapping)
        {
            Error(node, $"{what} must be a mapping");
            return null;
        }

        var entries = new Dictionary<string, (YamlNode, YamlNode)>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            if (!allowedKeys.Contains(key))
            {
                Error(keyNode, $"unknown key '{key}' in {what} (expected one of: {string.Join(", ", allowedKeys)})");
                continue;
            }

            entries[key] = (keyNode, value);
        }

        return entries;
    }
}
