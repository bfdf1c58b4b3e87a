using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Audit;

/// <summary>
/// JSON Lines and CSV exports, streamed. A JSON Lines export starts with the signed checkpoints
/// ({"checkpoint": note}) and then holds one event per line with its data embedded byte for byte,
/// so an unfiltered export verifies offline exactly as the database does.
/// </summary>
public static class AuditExport
{
    private static readonly ReadOnlyMemory<byte> NewLine = "\n"u8.ToArray();

    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static async Task WriteJsonLinesAsync(Stream output, IEnumerable<string> checkpointNotes, IAsyncEnumerable<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpointNotes);
        ArgumentNullException.ThrowIfNull(events);
        await using var writer = new Utf8JsonWriter(output, LineOptions);
        foreach (var note in checkpointNotes)
        {
            writer.WriteStartObject();
            writer.WriteString("checkpoint"u8, note);
            writer.WriteEndObject();
            await EndLineAsync(writer, output, cancellationToken);
        }

        var count = 0;
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            WriteEvent(writer, e);
            await EndLineAsync(writer, output, cancellationToken, flush: ++count % 256 == 0);
        }

        await writer.FlushAsync(cancellationToken);
        await output.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// One event as a JSON object, the line of a JSON Lines export and the message the SIEM stream sends:
    /// the canonical members, data byte for byte, and the leaf hash in hex, so a receiver can recompute it.
    /// </summary>
    public static void WriteEvent(Utf8JsonWriter writer, AuditEvent e)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        writer.WriteStartObject();
        writer.WriteNumber("seq"u8, e.Sequence);
        writer.WriteString("ts"u8, StoreTime.ToText(StoreTime.ToMicroseconds(e.Timestamp)));
        writer.WriteString("type"u8, e.Type);
        writer.WriteString("actor"u8, e.Actor.ToString());
        writer.WriteString("agentId"u8, e.AgentId);
        writer.WriteString("runId"u8, e.RunId);
        writer.WritePropertyName("data"u8);
        writer.WriteRawValue(e.Data, skipInputValidation: true);
        writer.WriteString("leafHash"u8, Convert.ToHexStringLower(e.LeafHash));
        writer.WriteEndObject();
    }

    public static async Task WriteCsvAsync(Stream output, IAsyncEnumerable<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync("seq,ts,type,actor,agent_id,run_id,data,leaf_hash");
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(string.Join(
                ',',
                e.Sequence.ToString(CultureInfo.InvariantCulture),
                StoreTime.ToText(StoreTime.ToMicroseconds(e.Timestamp)),
                CsvField(e.Type),
                CsvField(e.Actor.ToString()),
                CsvField(e.AgentId),
                CsvField(e.RunId),
                CsvField(e.Data),
                Convert.ToHexStringLower(e.LeafHash)));
        }

        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>Reads a JSON Lines export back: its checkpoint notes and its events, in file order.</summary>
    public static (IReadOnlyList<string> CheckpointNotes, IEnumerable<AuditEvent> Events) ReadJsonLines(string path)
    {
        var notes = new List<string>();
        foreach (var line in File.ReadLines(path))
        {
            if (!line.StartsWith("{\"checkpoint\":", StringComparison.Ordinal))
            {
                break;
            }

            using var document = JsonDocument.Parse(line);
            notes.Add(document.RootElement.GetProperty("checkpoint").GetString()!);
        }

        return (notes, ReadEvents(path));
    }

    /// <summary>RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes.</summary>
    public static string CsvField(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        // A leading = + - @ makes spreadsheets run the cell as a formula; prefix it so it stays text.
        var safe = value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }

    private static IEnumerable<AuditEvent> ReadEvents(string path)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith("{\"checkpoint\":", StringComparison.Ordinal))
            {
                continue;
            }

            yield return ParseEvent(line, lineNumber);
        }
    }

    private static AuditEvent ParseEvent(string line, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (!StoreTime.TryParse(root.GetProperty("ts").GetString()!, out var micros))
            {
                throw new FormatException("ts is not an audit timestamp");
            }

            return new AuditEvent(
                root.GetProperty("seq").GetInt64(),
                StoreTime.FromMicroseconds(micros),
                root.GetProperty("type").GetString()!,
                AuditActor.Parse(root.GetProperty("actor").GetString()!),
                root.GetProperty("agentId").GetString(),
                root.GetProperty("runId").GetString(),
                root.GetProperty("data").GetRawText(),
                Convert.FromHexString(root.GetProperty("leafHash").GetString()!));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"line {lineNumber} of the export is not an audit event: {ex.Message}", ex);
        }
    }

    private static async Task EndLineAsync(Utf8JsonWriter writer, Stream output, CancellationToken cancellationToken, bool flush = true)
    {
        await writer.FlushAsync(cancellationToken);
        await output.WriteAsync(NewLine, cancellationToken);
        writer.Reset(output);
        if (flush)
        {
            await output.FlushAsync(cancellationToken);
        }
    }
}
