using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace AgentHost.Plugins.Mcp;

/// <summary>
/// The MCP servers an admin connected (Mcp:Servers:{name}). A server's name becomes part of its tools'
/// catalog names (mcp.{server}.{tool}) and kernel names (mcp__{server}), so it is lower-case letters and
/// digits with single underscores between them: no dots, no "__", nothing configuration keys fold together.
/// </summary>
public sealed partial class McpOptions : IValidatableObject
{
    public const string Section = "Mcp";

    public Dictionary<string, McpServerOptions> Servers { get; init; } = new(StringComparer.Ordinal);

    [Range(1, 300, ErrorMessage = "Mcp:ConnectTimeoutSeconds must be from 1 to 300")]
    public int ConnectTimeoutSeconds { get; set; } = 15;

    [Range(1, 600, ErrorMessage = "Mcp:CallTimeoutSeconds must be from 1 to 600")]
    public int CallTimeoutSeconds { get; set; } = 60;

    /// <summary>How often the host lists each server's tools again (and reconnects a server that was down).</summary>
    [Range(5, 86_400, ErrorMessage = "Mcp:RefreshSeconds must be from 5 to 86400")]
    public int RefreshSeconds { get; set; } = 60;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (name, server) in Servers)
        {
            if (!ServerName().IsMatch(name))
            {
                yield return new ValidationResult($"Mcp:Servers:{name}: a server name is lower-case letters and digits, with single '_' between them (e.g. tickets, build_logs)", [nameof(Servers)]);
                continue;
            }

            foreach (var error in server.Validate($"Mcp:Servers:{name}"))
            {
                yield return new ValidationResult(error, [nameof(Servers)]);
            }
        }
    }

    [GeneratedRegex("^[a-z0-9]+(_[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ServerName();
}
