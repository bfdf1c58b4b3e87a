using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AgentHost.Audit.Siem;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AgentHost.Tests.Siem;

/// <summary>
/// The stream to a real rsyslog (RFC 5424 over TCP, octet-counted): every event of the trail arrives, in
/// order, with its seq and a leaf hash the receiver can recompute; a receiver that goes away and comes
/// back gets everything it missed; copies are allowed (at least once) and are always the same event.
/// </summary>
public sealed class SyslogStreamTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EveryEvent_ArrivesInOrder_WithItsSeqAndALeafHashTheReceiverRecomputes()
    {
        var hostName = SiemHosts.NewHostName();
        using var host = new AgentHostFactory(SiemHosts.Syslog(SyslogReceiver.Shared.Port, hostName));
        await SiemHosts.AppendAsync(host, 300);
        var trail = await SiemHosts.TrailAsync(host);

        var received = await Eventually.ReturnsAsync(
            () => SyslogReceiver.Shared.Received(hostName),
            r => SiemHosts.Distinct(r).Count >= trail.Count,
            $"the {trail.Count} events of the trail at rsyslog");

        SiemHosts.Distinct(received).Take(trail.Count).ShouldBe(trail, "every event once, in the trail's order, with its leaf hash");
        foreach (var r in received)
        {
            Recomputed(r.Json).ShouldBe(r.LeafHash, $"seq {r.Seq}: the members sent are the ones the leaf hash commits to");
        }
    }

    [Fact]
    public async Task ReceiverStopped_EventsAppendedMeanwhile_AllArriveInOrderAfterItsRestart_AndTheLagShowedMeanwhile()
    {
        var backlog = int.TryParse(Environment.GetEnvironmentVariable("AGENTHOST_SIEM_BACKLOG"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 2_000;
        await using var receiver = await SyslogReceiver.StartOwnAsync();
        var hostName = SiemHosts.NewHostName();
        using var host = new AgentHostFactory(SiemHosts.Syslog(receiver.Port, hostName));
        await SiemHosts.AppendAsync(host, 50);
        var before = await SiemHosts.TrailAsync(host);
        await Eventually.TrueAsync(() => SiemHosts.Distinct(receiver.Received(hostName)).Count >= before.Count, "the first events at rsyslog");

        await receiver.StopAsync();
        var appended = Stopwatch.StartNew();
        await SiemHosts.AppendAsync(host, backlog, "while the receiver was down");
        appended.Stop();
        var status = host.Services.GetRequiredService<SiemStreamStatus>();
        var down = await Eventually.ReturnsAsync(
            async () => (await status.ReadAsync(CancellationToken.None))[0],
            s => s.Cursor?.LastError is not null && s.Lag >= backlog,
            "the failed sends recorded, and the backlog as lag");
        down.Cursor!.LastError.ShouldNotBeNullOrWhiteSpace();

        var catchUp = Stopwatch.StartNew();
        await receiver.StartAgainAsync();
        var trail = await SiemHosts.TrailAsync(host);
        var received = await Eventually.ReturnsAsync(
            () => receiver.Received(hostName),
            r => SiemHosts.Distinct(r).Count >= trail.Count,
            $"all {trail.Count} events at rsyslog after its restart");
        catchUp.Stop();

        SiemHosts.Distinct(received).Take(trail.Count).ShouldBe(trail, "none lost, in order; copies only of the same seq");
        (await Eventually.ReturnsAsync(async () => (await status.ReadAsync(CancellationToken.None))[0], s => s.Lag == 0, "the cursor at the head")).Cursor!.LastSeq.ShouldBe(trail[^1].Seq);
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"rsyslog restart: {backlog} backlog events appended in {appended.ElapsedMilliseconds} ms, caught up {catchUp.ElapsedMilliseconds} ms after the restart ({backlog / catchUp.Elapsed.TotalSeconds:F0} events/s); copies: {received.Count - trail.Count}"));
    }

    [Fact]
    public async Task Throughput_ToRsyslog_IsMeasured()
    {
        var events = int.TryParse(Environment.GetEnvironmentVariable("AGENTHOST_SIEM_EVENTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 10_000;
        var hostName = SiemHosts.NewHostName();

        // Appended before the stream starts: the figure is the forwarder's, not the writer's.
        var writer = new AgentHostFactory { OwnsData = false };
        await SiemHosts.AppendAsync(writer, events);
        writer.Dispose();
        using var host = new AgentHostFactory(SiemHosts.Syslog(SyslogReceiver.Shared.Port, hostName), writer.DataDirectory) { OwnsData = true };
        var clock = Stopwatch.StartNew();
        var trail = await SiemHosts.TrailAsync(host);
        await Eventually.TrueAsync(() => SyslogReceiver.Shared.Count(hostName) >= trail.Count, $"{trail.Count} events at rsyslog");
        clock.Stop();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rsyslog: {trail.Count} events in {clock.ElapsedMilliseconds} ms = {trail.Count / clock.Elapsed.TotalSeconds:F0} events/s (host start included)"));
        SiemHosts.Distinct(SyslogReceiver.Shared.Received(hostName)).ShouldBe(trail);
    }

    private static string Recomputed(string json)
    {
        using var document = JsonDocument.Parse(json);
        var e = document.RootElement;
        StoreTime.TryParse(e.GetProperty("ts").GetString()!, out var micros).ShouldBeTrue();
        return Convert.ToHexStringLower(AuditCanonicalForm.LeafHash(
            e.GetProperty("seq").GetInt64(),
            micros,
            e.GetProperty("type").GetString()!,
            e.GetProperty("actor").GetString()!,
            e.GetProperty("agentId").GetString(),
            e.GetProperty("runId").GetString(),
            e.GetProperty("data").GetRawText()));
    }
}
