using AgentHost.Core.Tools;

namespace AgentHost.Plugins.Mcp;

/// <summary>
/// One MCP server: a process the host starts (Command, Arguments, Environment; stdio) or an endpoint it
/// reaches (Url, Headers; Streamable HTTP). The process gets only <see cref="Environment"/>, the
/// endpoint only <see cref="Headers"/>: none of the host's own settings or secrets.
/// </summary>
public sealed class McpServerOptions
{
    public string? Command { get; set; }

    public List<string> Arguments { get; init; } = [];

    /// <summary>The whole environment of the server's process; values may come from *_FILE secrets.</summary>
    public Dictionary<string, string> Environment { get; init; } = new(StringComparer.Ordinal);

    public string? WorkingDirectory { get; set; }

    public Uri? Url { get; set; }

    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Labels per tool (its MCP name): effect and reach, which otherwise default to write/external.</summary>
    public Dictionary<string, McpToolOptions> Tools { get; init; } = new(StringComparer.Ordinal);

    public bool IsStdio => !string.IsNullOrWhiteSpace(Command);

    internal IEnumerable<string> Validate(string key)
    {
        if (IsStdio == (Url is not null))
        {
            yield return $"{key}: set either Command (a process spoken to over stdio) or Url (Streamable HTTP), not both or neither";
        }

        if (Url is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            yield return $"{key}:Url must be an absolute http(s) URL";
        }

        if (IsStdio && Headers.Count > 0)
        {
            yield return $"{key}:Headers apply to an HTTP server only; a stdio server gets Environment";
        }

        if (!IsStdio && (Environment.Count > 0 || Arguments.Count > 0))
        {
            yield return $"{key}:Environment and Arguments apply to a stdio server (Command) only";
        }

        foreach (var (tool, labels) in Tools)
        {
            if (labels.Effect is { } effect && !Enum.IsDefined(effect))
            {
                yield return $"{key}:Tools:{tool}:Effect must be read, write or destructive";
            }

            if (labels.Reach is { } reach && !Enum.IsDefined(reach))
            {
                yield return $"{key}:Tools:{tool}:Reach must be internal or external";
            }
        }
    }
}
