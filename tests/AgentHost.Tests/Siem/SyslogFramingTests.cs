using System.Buffers;
using System.Text;
using AgentHost.Audit.Siem;
using AgentHost.Core.Audit;

namespace AgentHost.Tests.Siem;

/// <summary>The bytes on the wire: RFC 6587 octet counting around an RFC 5424 message whose MSG is the BOM and the event's JSON.</summary>
public sealed class SyslogFramingTests
{
    [Fact]
    public void OneEvent_IsLengthSpaceMessage_WithTheRfc5424Header()
    {
        var e = new AuditEvent(7, new DateTimeOffset(2026, 12, 5, 20, 1, 2, TimeSpan.Zero).AddTicks(1234560), "policy.decided", AuditActor.Agent("ag_1"), "ag_1", "run_1", "{\"a\":\"é\"}", [0xAB, 0xCD]);
        var output = new ArrayBufferWriter<byte>();

        SyslogFraming.Append(output, e, facility: 13, hostName: "host-1", processId: 42, new ArrayBufferWriter<byte>());

        var bytes = output.WrittenSpan.ToArray();
        var space = Array.IndexOf(bytes, (byte)' ');
        var length = int.Parse(Encoding.ASCII.GetString(bytes, 0, space), System.Globalization.CultureInfo.InvariantCulture);
        length.ShouldBe(bytes.Length - space - 1, "the count is of the message's bytes (UTF-8), not its characters");
        var message = bytes[(space + 1)..];
        Encoding.UTF8.GetString(message).ShouldBe(
            "<110>1 2026-12-05T20:01:02.123456Z host-1 agenthost 42 policy.decided - \uFEFF"
            + "{\"seq\":7,\"ts\":\"2026-12-05T20:01:02.123456Z\",\"type\":\"policy.decided\",\"actor\":\"agent:ag_1\",\"agentId\":\"ag_1\",\"runId\":\"run_1\",\"data\":{\"a\":\"é\"},\"leafHash\":\"abcd\"}");
    }

    [Theory]
    [InlineData("", "-")]
    [InlineData("a b\u00e9\n", "ab")]
    [InlineData("0123456789012345678901234567890123456789", "01234567890123456789012345678901")]
    public void HeaderFields_ArePrintableAsciiWithoutSpaces_Capped(string value, string expected) =>
        SyslogFraming.Field(value, 32).ShouldBe(expected);
}
