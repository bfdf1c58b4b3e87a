using System.Text;

namespace AgentHost.Plugins.Mcp;

/// <summary>
/// What changed between the approved copy of a tool and what its server now says, as a line diff of the
/// description and of the indented schema ("- " removed, "+ " added, "  " kept), for the admin and the audit.
/// </summary>
public static class McpPinDiff
{
    public static string Between(McpToolDefinition pinned, McpToolDefinition live)
    {
        ArgumentNullException.ThrowIfNull(pinned);
        ArgumentNullException.ThrowIfNull(live);
        var text = new StringBuilder();
        if (!string.Equals(pinned.Description, live.Description, StringComparison.Ordinal))
        {
            text.AppendLine("description:");
            Lines(text, pinned.Description, live.Description);
        }

        if (!string.Equals(pinned.InputSchema, live.InputSchema, StringComparison.Ordinal))
        {
            text.AppendLine("inputSchema:");
            Lines(text, McpToolHash.Indented(pinned.InputSchema), McpToolHash.Indented(live.InputSchema));
        }

        return text.ToString();
    }

    // A longest-common-subsequence diff: descriptions and schemas are a few dozen lines at most.
    private static void Lines(StringBuilder text, string before, string after)
    {
        var a = before.ReplaceLineEndings("\n").Split('\n');
        var b = after.ReplaceLineEndings("\n").Split('\n');
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                text.Append("  ").AppendLine(a[x++]);
                y++;
            }
            else if (y < b.Length && (x == a.Length || common[x, y + 1] >= common[x + 1, y]))
            {
                text.Append("+ ").AppendLine(b[y++]);
            }
            else
            {
                text.Append("- ").AppendLine(a[x++]);
            }
        }
    }
}
