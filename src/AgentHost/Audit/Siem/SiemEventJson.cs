using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentHost.Core.Audit;

namespace AgentHost.Audit.Siem;

/// <summary>An event as the stream sends it: the same JSON object as a line of the JSON Lines export (seq, ts, type, actor, agentId, runId, data, leafHash).</summary>
public static class SiemEventJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static void Write(IBufferWriter<byte> output, AuditEvent e)
    {
        using var writer = new Utf8JsonWriter(output, Options);
        AuditExport.WriteEvent(writer, e);
    }
}
