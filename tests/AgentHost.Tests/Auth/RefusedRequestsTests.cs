using System.Net;
using System.Text.Json.Nodes;
using AgentHost.Auth;
using AgentHost.Core.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Auth;

/// <summary>Refused requests are counted in memory of bounded size and leave as one bounded event per minute and bucket.</summary>
public sealed class RefusedRequestsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 4, 12, 0, 30, TimeSpan.Zero));

    [Fact]
    public void ABucket_LeavesWhenItsMinuteCloses_WithCountWindowAndFirstPath()
    {
        var refusals = new RefusedRequests(_clock);
        refusals.Record(Request("203.0.113.7", "/api/agents"), AuditEventTypes.AuthDenied, RefusedRequests.Kinds.Unauthenticated, "not signed in");
        refusals.Record(Request("203.0.113.7", "/api/audit"), AuditEventTypes.AuthDenied, RefusedRequests.Kinds.Unauthenticated, "not signed in");

        refusals.TakeClosed(all: false).ShouldBeEmpty("the minute is still open");
        _clock.Advance(TimeSpan.FromSeconds(30));
        var entry = refusals.TakeClosed(all: false).ShouldHaveSingleItem();

        entry.Type.ShouldBe(AuditEventTypes.AuthDenied);
        entry.Actor.ShouldBe(AuditActor.System);
        entry.Data!["count"]!.GetValue<int>().ShouldBe(2);
        entry.Data["path"]!.GetValue<string>().ShouldBe("/api/agents");
        entry.Data["window"]!.GetValue<string>().ShouldBe("2026-12-04T12:00:00Z/2026-12-04T12:01:00Z");
        entry.Data["remoteAddress"]!.GetValue<string>().ShouldBe("203.0.113.7");
        entry.Data["kinds"]![RefusedRequests.Kinds.Unauthenticated]!.GetValue<int>().ShouldBe(2);
        refusals.TakeClosed(all: true).ShouldBeEmpty("taken once");
    }

    [Fact]
    public void AttackerControlledText_IsCapped_AndDistinctReasonsAreBounded()
    {
        var refusals = new RefusedRequests(_clock);
        var context = Request("203.0.113.7", "/" + new string('p', 9000));
        for (var i = 0; i < 50; i++)
        {
            refusals.Record(context, AuditEventTypes.AuthDenied, RefusedRequests.Kinds.Unauthenticated, $"reason {i} " + new string('r', 5000), claimedUser: new string('u', 5000));
        }

        var data = refusals.TakeClosed(all: true).ShouldHaveSingleItem().Data!;
        data["path"]!.GetValue<string>().Length.ShouldBe(RefusedRequests.MaxPathLength);
        data["claimedUser"]!.GetValue<string>().Length.ShouldBe(RefusedRequests.MaxClaimedUserLength);
        var reasons = data["reasons"]!.AsObject();
        reasons.Count.ShouldBe(RefusedRequests.MaxReasons + 1);
        reasons["other"]!.GetValue<int>().ShouldBe(50 - RefusedRequests.MaxReasons);
        reasons.Select(r => r.Key.Length).Max().ShouldBeLessThanOrEqualTo(RefusedRequests.MaxReasonLength);
        data.ToJsonString().Length.ShouldBeLessThan(3000);
    }

    [Fact]
    public void AFloodFromManyAddresses_SharesOneOverflowBucket()
    {
        var refusals = new RefusedRequests(_clock);
        for (var i = 0; i < 5000; i++)
        {
            var address = new IPAddress([198, 18, (byte)(i / 256), (byte)(i % 256)]).ToString();
            refusals.Record(Request(address, "/"), AuditEventTypes.SlackRequestRejected, RefusedRequests.Kinds.Slack, "bad signature");
        }

        var entries = refusals.TakeClosed(all: true);
        entries.Count.ShouldBe(RefusedRequests.MaxBuckets + 1);
        entries.Sum(e => e.Data!["count"]!.GetValue<int>()).ShouldBe(5000);
        entries.ShouldContain(e => e.Data!["remoteAddress"]!.GetValue<string>() == "*" && e.Data["count"]!.GetValue<int>() == 5000 - RefusedRequests.MaxBuckets);
    }

    [Fact]
    public void Buckets_AreApartPerTypeActorAndAddress()
    {
        var refusals = new RefusedRequests(_clock);
        refusals.Record(Request("203.0.113.7", "/a"), AuditEventTypes.AuthDenied, RefusedRequests.Kinds.Forbidden, "forbidden", AuditActor.Employee("alice@example.com"));
        refusals.Record(Request("203.0.113.7", "/a"), AuditEventTypes.AuthDenied, RefusedRequests.Kinds.Unauthenticated, "not signed in");
        refusals.Record(Request("203.0.113.8", "/a"), AuditEventTypes.AuthDenied, RefusedRequests.Kinds.Unauthenticated, "not signed in");
        refusals.Record(Request("203.0.113.7", "/slack/events"), AuditEventTypes.SlackRequestRejected, RefusedRequests.Kinds.Slack, "bad signature");

        var entries = refusals.TakeClosed(all: true);

        entries.Count.ShouldBe(4);
        entries.ShouldContain(e => e.Actor == AuditActor.Employee("alice@example.com"));
    }

    private static DefaultHttpContext Request(string address, string path)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        context.Request.Path = path;
        return context;
    }
}
