using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Gate;

/// <summary>
/// A call as the host decides and executes it: the function, its normalised arguments as canonical JSON
/// (keys in ordinal order, compact, one fixed escaping) and the SHA-256 of that JSON. The policy, the
/// approval, the gate ticket and the plugin all see this one value, so "what was approved" and "what
/// ran" are the same bytes, and any stored copy that no longer hashes to it is caught.
/// </summary>
public sealed record CanonicalCall(string Function, IReadOnlyDictionary<string, ToolArgumentValue> Arguments, string ArgumentsJson, string ArgumentsSha256)
{
    /// <summary>Normalises the arguments the way the target compares them, then fixes their form.</summary>
    public static CanonicalCall Create(ToolCatalog catalog, string function, IReadOnlyDictionary<string, ToolArgumentValue> arguments) =>
        Of(function, ArgumentNormalizer.Normalize(catalog, function, arguments));

    /// <summary>Fixes the form of arguments that are already normalised (the invocation filter's view).</summary>
    public static CanonicalCall Of(string function, IReadOnlyDictionary<string, ToolArgumentValue> arguments)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(arguments);
        var json = Serialize(arguments);
        return new CanonicalCall(function, arguments, json, Hash(json));
    }

    /// <summary>
    /// Reads a stored canonical call back; null when the text is not exactly canonical or does not hash
    /// to <paramref name="sha256"/> (someone edited the store).
    /// </summary>
    public static CanonicalCall? Parse(string function, string argumentsJson, string? sha256)
    {
        ArgumentNullException.ThrowIfNull(argumentsJson);
        if (sha256 is null || !string.Equals(Hash(argumentsJson), sha256, StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(argumentsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var arguments = new Dictionary<string, ToolArgumentValue>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                arguments[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString()!,
                    JsonValueKind.Array when property.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) => property.Value.EnumerateArray().Select(e => e.GetString()!).ToArray(),
                    _ => throw new JsonException("not a canonical argument"),
                };
            }

            var call = Of(function, arguments);
            return call.ArgumentsJson == argumentsJson ? call : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    private static string Serialize(IReadOnlyDictionary<string, ToolArgumentValue> arguments)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in arguments.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                if (value.IsList)
                {
                    writer.WriteStartArray(name);
                    foreach (var item in value.Values())
                    {
                        writer.WriteStringValue(item);
                    }

                    writer.WriteEndArray();
                }
                else
                {
                    writer.WriteString(name, value.ToString());
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
