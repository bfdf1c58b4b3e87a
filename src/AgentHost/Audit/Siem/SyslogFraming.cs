using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;

namespace AgentHost.Audit.Siem;

/// <summary>
/// RFC 5424 messages in RFC 6587 octet-counted framing ("LEN SP SYSLOG-MSG"), so a message may hold any
/// byte, a newline included. HEADER: PRI (facility, severity informational), version 1, the event's own
/// time, host, APP-NAME agenthost, PROCID, MSGID the event type; no STRUCTURED-DATA; MSG is a UTF-8 BOM
/// and the event's JSON (RFC 5424 section 6.4: UTF-8 text starts with the BOM).
/// </summary>
public static class SyslogFraming
{
    public const string AppName = "agenthost";

    private const int Informational = 6;

    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Appends one framed message for <paramref name="e"/> to <paramref name="output"/>.</summary>
    public static void Append(ArrayBufferWriter<byte> output, AuditEvent e, int facility, string hostName, int processId, ArrayBufferWriter<byte> scratch)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(scratch);
        scratch.ResetWrittenCount();
        var header = string.Create(
            CultureInfo.InvariantCulture,
            $"<{(facility * 8) + Informational}>1 {StoreTime.ToText(StoreTime.ToMicroseconds(e.Timestamp))} {hostName} {AppName} {processId} {Field(e.Type, 32)} - ");
        Encoding.ASCII.GetBytes(header, scratch);
        scratch.Write(Bom);
        SiemEventJson.Write(scratch, e);

        Span<byte> length = stackalloc byte[12];
        Utf8Formatter.TryFormat(scratch.WrittenCount, length, out var digits);
        output.Write(length[..digits]);
        output.Write(" "u8);
        output.Write(scratch.WrittenSpan);
    }

    /// <summary>A header field: printable US-ASCII without spaces, at most <paramref name="max"/> characters, "-" when nothing is left (RFC 5424 section 6).</summary>
    public static string Field(string? value, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var kept = new string([.. value.Where(c => c is > ' ' and <= '~').Take(max)]);
        return kept.Length == 0 ? "-" : kept;
    }
}
