using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using AgentHost.Audit.Siem;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AgentHost.Tests.Siem;

/// <summary>
/// The stream to a webhook that checks the signature as docs/siem.md tells a SIEM to: signed JSON Lines
/// batches in order; a rejected or failed batch is sent again (nothing lost, the cursor waits); the cursor
/// survives a restart of the host (no second copy of everything); the audit page shows lag and the last
/// error without the secret or the URL's query.
/// </summary>
public sealed class WebhookStreamTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SignedBatches_ArriveInOrder_EachEventWithItsSeqAndLeafHash_AndTheMetricsCountThem()
    {
        var name = "hook-" + Guid.NewGuid().ToString("N")[..8];
        long forwarded = 0;
        long? lag = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "AgentHost" && instrument.Name.StartsWith("agenthost.siem.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (!tags.ToArray().Any(t => t.Key == "destination" && Equals(t.Value, name)))
            {
                return;
            }

            if (instrument.Name == "agenthost.siem.events_forwarded")
            {
                Interlocked.Add(ref forwarded, value);
            }
            else if (instrument.Name == "agenthost.siem.lag")
            {
                lag = value;
            }
        });
        listener.Start();
        var secret = SiemHosts.NewSecret();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        using var host = new AgentHostFactory(SiemHosts.Webhook(receiver.Url, secret, name));
        await SiemHosts.AppendAsync(host, 1_200);
        var trail = await SiemHosts.TrailAsync(host);

        await Eventually.TrueAsync(() => SiemHosts.Distinct(receiver.Accepted).Count >= trail.Count, $"the {trail.Count} events at the webhook");
        await Eventually.TrueAsync(
            () =>
            {
                listener.RecordObservableInstruments();
                return lag == 0 && Interlocked.Read(ref forwarded) >= trail.Count;
            },
            "agenthost.siem.events_forwarded at the trail's length and agenthost.siem.lag at 0");

        SiemHosts.Distinct(receiver.Accepted).Take(trail.Count).ShouldBe(trail);
        receiver.Rejected.ShouldBe(0);
        receiver.Accepted.Count.ShouldBe(receiver.Accepted.Select(e => e.Seq).Distinct().Count(), "a webhook's 2xx acknowledges: nothing is sent twice");
    }

    [Fact]
    public async Task WrongSecret_IsRejected_TheCursorWaits_ThePageShowsLagAndErrorWithoutSecrets_ThenTheRightSecretDeliversAll()
    {
        var secret = SiemHosts.NewSecret();
        var wrong = SiemHosts.NewSecret();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        var first = new AgentHostFactory(SiemHosts.Webhook(receiver.Url, wrong)) { OwnsData = false };
        await SiemHosts.AppendAsync(first, 40);
        var status = first.Services.GetRequiredService<SiemStreamStatus>();
        var refused = await Eventually.ReturnsAsync(
            async () => (await status.ReadAsync(CancellationToken.None))[0],
            s => s.Cursor?.LastError is not null && receiver.Rejected >= 2,
            "the receiver refusing the signature, more than once (retried)");
        refused.Cursor!.LastSeq.ShouldBe(0, "nothing counts as delivered");
        refused.Cursor.LastError!.ShouldContain("401");
        receiver.Accepted.ShouldBeEmpty();

        var page = await (await first.CreateClientAs("sam@example.com").GetAsync("/audit")).Content.ReadAsStringAsync();
        page.ShouldContain("data-destination=\"hook\"");
        page.ShouldMatch("data-lag=\"[1-9][0-9]*\"");
        page.ShouldContain("401");
        page.ShouldNotContain(wrong);
        page.ShouldNotContain(secret);
        page.ShouldNotContain("t-0123456789abcdef", Case.Sensitive, "the URL's query may hold a token: the page shows scheme, host and path");
        first.Dispose();

        using var second = new AgentHostFactory(SiemHosts.Webhook(receiver.Url, secret), first.DataDirectory) { OwnsData = true };
        var trail = await SiemHosts.TrailAsync(second);
        await Eventually.TrueAsync(() => SiemHosts.Distinct(receiver.Accepted).Count >= trail.Count, "everything, once the secret is right");
        SiemHosts.Distinct(receiver.Accepted).Take(trail.Count).ShouldBe(trail);
    }

    [Fact]
    public async Task ReceiverFailing_IsRetriedWithBackoff_AndNothingIsLost()
    {
        var secret = SiemHosts.NewSecret();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        receiver.FailWith = 503;
        using var host = new AgentHostFactory(SiemHosts.Webhook(receiver.Url, secret));
        await SiemHosts.AppendAsync(host, 700);
        await Eventually.TrueAsync(() => receiver.Requests >= 3, "several attempts while the receiver answers 503");
        var status = (await host.Services.GetRequiredService<SiemStreamStatus>().ReadAsync(CancellationToken.None))[0];
        status.Cursor!.LastError!.ShouldContain("503");
        status.Lag.ShouldBeGreaterThanOrEqualTo(700);

        receiver.FailWith = null;
        var trail = await SiemHosts.TrailAsync(host);
        await Eventually.TrueAsync(() => SiemHosts.Distinct(receiver.Accepted).Count >= trail.Count, "everything once the receiver answers again");
        SiemHosts.Distinct(receiver.Accepted).Take(trail.Count).ShouldBe(trail);
    }

    [Fact]
    public async Task HangingReceiver_NeverHoldsUpAnAppend_AndTheBatchIsSentAgainAfterTheTimeout()
    {
        var secret = SiemHosts.NewSecret();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        receiver.Hang = true;
        var settings = SiemHosts.Webhook(receiver.Url, secret);
        settings["SiemStream:SendTimeout"] = "00:00:01";
        using var host = new AgentHostFactory(settings);
        _ = host.Services;
        await Eventually.TrueAsync(() => receiver.Requests >= 1, "the stream waiting on the hanging receiver");

        var clock = Stopwatch.StartNew();
        await SiemHosts.AppendAsync(host, 500, "while the receiver hangs");
        clock.Stop();
        var status = await Eventually.ReturnsAsync(
            async () => (await host.Services.GetRequiredService<SiemStreamStatus>().ReadAsync(CancellationToken.None))[0],
            s => s.Cursor?.LastError is not null && receiver.Requests >= 2,
            "the send timed out and was tried again");

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "appends never wait for the receiver");
        status.Cursor!.LastError!.ShouldContain("Timeout");
        status.Cursor.LastSeq.ShouldBe(0);
        receiver.Hang = false;
        var trail = await SiemHosts.TrailAsync(host);
        await Eventually.TrueAsync(() => SiemHosts.Distinct(receiver.Accepted).Count >= trail.Count, "everything once the receiver answers");
        SiemHosts.Distinct(receiver.Accepted).Take(trail.Count).ShouldBe(trail);
    }

    [Fact]
    public async Task HostRestart_ContinuesFromTheCursor_NotFromTheStart()
    {
        var secret = SiemHosts.NewSecret();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        var settings = SiemHosts.Webhook(receiver.Url, secret);
        var first = new AgentHostFactory(settings) { OwnsData = false };
        await SiemHosts.AppendAsync(first, 300);
        var before = await SiemHosts.TrailAsync(first);
        await Eventually.TrueAsync(
            async () => (await first.Services.GetRequiredService<SiemStreamStatus>().ReadAsync(CancellationToken.None))[0].Cursor?.LastSeq >= before[^1].Seq,
            "the cursor past the first events");
        first.Dispose();
        var deliveredBefore = receiver.Accepted.Count;

        using var second = new AgentHostFactory(settings, first.DataDirectory) { OwnsData = true };
        await SiemHosts.AppendAsync(second, 200, "after the restart");
        var trail = await SiemHosts.TrailAsync(second);
        await Eventually.TrueAsync(() => SiemHosts.Distinct(receiver.Accepted).Count >= trail.Count, "the new events");

        var afterRestart = receiver.Accepted.Skip(deliveredBefore).ToList();
        var cursorAtStop = before[^1].Seq;
        afterRestart.ShouldAllBe(e => e.Seq > cursorAtStop, "the restarted host sends only what the cursor had not passed");
        SiemHosts.Distinct(receiver.Accepted).Take(trail.Count).ShouldBe(trail);
    }

    [Fact]
    public async Task Throughput_ToTheWebhook_IsMeasured()
    {
        var events = int.TryParse(Environment.GetEnvironmentVariable("AGENTHOST_SIEM_EVENTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 10_000;
        var secret = SiemHosts.NewSecret();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        var writer = new AgentHostFactory { OwnsData = false };
        await SiemHosts.AppendAsync(writer, events);
        writer.Dispose();

        using var host = new AgentHostFactory(SiemHosts.Webhook(receiver.Url, secret), writer.DataDirectory) { OwnsData = true };
        var clock = Stopwatch.StartNew();
        var trail = await SiemHosts.TrailAsync(host);
        await Eventually.TrueAsync(() => SiemHosts.Distinct(receiver.Accepted).Count >= trail.Count, $"{trail.Count} events at the webhook");
        clock.Stop();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"webhook: {trail.Count} events in {clock.ElapsedMilliseconds} ms = {trail.Count / clock.Elapsed.TotalSeconds:F0} events/s (host start included), {receiver.Requests} requests"));
        SiemHosts.Distinct(receiver.Accepted).ShouldBe(trail);
    }
}
