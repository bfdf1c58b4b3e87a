using System.Text;
using System.Text.Json;

namespace AgentHost.Core.Audit.Content;

/// <summary>The content hashes an event's data commits to: every <see cref="AuditContent.HashMember"/> at any depth.</summary>
public static class ContentReferences
{
    private static readonly byte[] Member = Encoding.UTF8.GetBytes(AuditContent.HashMember);

    /// <summary>Adds the hashes <paramref name="data"/> names to <paramref name="into"/>; cheap for data that names none.</summary>
    public static void Collect(string data, ICollection<string> into)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(into);
        if (!data.Contains(AuditContent.HashMember, StringComparison.Ordinal))
        {
            return;
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(data));
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(Member) && reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                into.Add(reader.GetString()!);
            }
        }
    }

    public static IReadOnlyList<string> Of(string data)
    {
        var hashes = new List<string>();
        Collect(data, hashes);
        return hashes;
    }
}
