using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Plugins.Mcp;

/// <summary>
/// The pin of a tool: SHA-256 over one canonical JSON text of its name, description and input schema,
/// so a server that reorders keys or whitespace keeps its pin, and one that changes a word loses it.
/// </summary>
public static class McpToolHash
{
    public static string Of(string name, string description, string inputSchema)
    {
        var document = new JsonObject
        {
            ["description"] = description,
            ["inputSchema"] = JsonNode.Parse(inputSchema),
            ["name"] = name,
        };
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(document))));
    }

    /// <summary>Object keys sorted (ordinal), no insignificant whitespace: the same schema, the same text.</summary>
    public static string Canonical(JsonNode? node) => Sorted(node)?.ToJsonString() ?? "null";

    /// <summary>The canonical text of a schema as a server sent it.</summary>
    public static string Canonical(JsonElement schema) => Canonical(JsonNode.Parse(schema.GetRawText()));

    /// <summary>The schema indented, one key a line, for a readable diff.</summary>
    public static string Indented(string canonicalSchema) =>
        JsonNode.Parse(canonicalSchema)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        null => null,
        _ => node.DeepClone(),
    };
}
