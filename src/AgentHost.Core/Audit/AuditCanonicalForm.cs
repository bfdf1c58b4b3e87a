using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Core.Audit.Merkle;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Audit;

/// <summary>
/// The bytes an audit leaf hashes (docs/audit.md): UTF-8 JSON, members in the fixed order seq, ts, type,
/// actor, agentId, runId, data, no white space; data is the stored canonical text (keys sorted
/// ordinally at every depth), embedded as is.
/// </summary>
public static class AuditCanonicalForm
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    public static string CanonicalData(JsonNode? data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteSorted(writer, data ?? new JsonObject());
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Computes the leaf hash of an event; reuses per-thread buffers so a verifier allocates nothing per event.</summary>
    public static void LeafHash(long seq, long timestampMicros, string type, string actor, string? agentId, string? runId, string data, Span<byte> destination)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        Write(writer, seq, timestampMicros, type, actor, agentId, runId, data);
        writer.Flush();
        MerkleHash.HashLeaf(buffer.WrittenSpan, destination);
    }

    public static byte[] LeafHash(long seq, long timestampMicros, string type, string actor, string? agentId, string? runId, string data)
    {
        var hash = new byte[MerkleHash.Size];
        LeafHash(seq, timestampMicros, type, actor, agentId, runId, data, hash);
        return hash;
    }

    public static byte[] Bytes(long seq, long timestampMicros, string type, string actor, string? agentId, string? runId, string data)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, seq, timestampMicros, type, actor, agentId, runId, data);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, long seq, long timestampMicros, string type, string actor, string? agentId, string? runId, string data)
    {
        Span<char> ts = stackalloc char[27];
        FormatTimestamp(timestampMicros, ts);
        writer.WriteStartObject();
        writer.WriteNumber("seq"u8, seq);
        writer.WriteString("ts"u8, ts);
        writer.WriteString("type"u8, type);
        writer.WriteString("actor"u8, actor);
        writer.WriteString("agentId"u8, agentId);
        writer.WriteString("runId"u8, runId);
        writer.WritePropertyName("data"u8);
        writer.WriteRawValue(data, skipInputValidation: true);
        writer.WriteEndObject();
    }

    private static void FormatTimestamp(long micros, Span<char> destination) =>
        StoreTime.FromMicroseconds(micros).UtcDateTime.TryFormat(destination, out _, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static void WriteSorted(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteSorted(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    WriteSorted(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
