using AgentHost.Audit.Siem;
using AgentHost.Tests.Siem;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Postgres;

/// <summary>
/// Two worker processes on one PostgreSQL database, both configured with the same webhook: the lease lets
/// one forward at a time, so the receiver sees one ordered stream with no copies; when that worker stops,
/// the other takes the destination over from the cursor and nothing is lost.
/// </summary>
public sealed class SiemScaleOutTests
{
    [Fact]
    public async Task TwoWorkers_OneForwardsAtATime_NoCopies_AndTheOtherTakesOverWhenItStops()
    {
        var secret = SiemHosts.NewSecret();
        await using var receiver = await WebhookReceiver.StartAsync(secret);
        var directory = Path.Combine(Path.GetTempPath(), "agenthost-siem-scale-" + Guid.NewGuid().ToString("N"));
        var settings = SiemHosts.Webhook(receiver.Url, secret);
        settings["Role"] = "worker";
        settings["SiemStream:LeaseDuration"] = "00:00:03";
        settings["ConnectionStrings:AgentHost"] = TestPostgres.Database(Guid.NewGuid().ToString("N"));
        var first = new AgentHostFactory(settings, directory) { OwnsData = false };
        using var second = new AgentHostFactory(settings, directory) { OwnsData = true };
        _ = first.Services;
        _ = second.Services;

        await Task.WhenAll(SiemHosts.AppendAsync(first, 400, "from the first worker"), SiemHosts.AppendAsync(second, 400, "from the second worker"));
        var trail = await SiemHosts.TrailAsync(second);
        await Eventually.TrueAsync(() => SiemHosts.Distinct(receiver.Accepted).Count >= trail.Count, "the events of both workers");
        receiver.Accepted.Select(e => (e.Seq, e.LeafHash)).Take(trail.Count).ShouldBe(trail, "one stream, in order, no copies: only the lease holder sends");

        var holder = (await second.Services.GetRequiredService<SiemCursorStore>().AllAsync(CancellationToken.None))["hook"].LeaseOwner;
        var (stopping, staying) = holder == first.Services.GetRequiredService<SiemStreamService>().Owner ? (first, second) : (second, first);
        stopping.Dispose();
        await SiemHosts.AppendAsync(staying, 300, "after one worker stopped");
        var after = await SiemHosts.TrailAsync(staying);
        await Eventually.TrueAsync(() => SiemHosts.Distinct(receiver.Accepted).Count >= after.Count, "the events after the lease holder stopped, from the other worker");
        SiemHosts.Distinct(receiver.Accepted).Take(after.Count).ShouldBe(after);
        first.Dispose();
    }
}
