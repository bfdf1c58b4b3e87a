using System.ComponentModel.DataAnnotations;

namespace AgentHost.Mcp;

/// <summary>POST /api/mcp/servers/{name}/approve: every tool shown (catalog name) with the hash shown for it.</summary>
public sealed record McpApproveRequest([property: Required(ErrorMessage = "the tools shown, by name, with their hashes")] Dictionary<string, string>? Tools);

/// <summary>The tools pinned by an approval, by catalog name, with their hashes.</summary>
public sealed record McpApproved(string Server, IReadOnlyDictionary<string, string> Tools);
