using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AgentHost.Tests.Host;

/// <summary>
/// Outsiders cannot grow the permanent audit trail: a thousand refused requests (anonymous 401s and
/// forged X-Dev-User 401s, with 8 KB paths) become at most a handful of events of bounded size.
/// </summary>
public sealed class RefusalAuditTests(ITestOutputHelper output) : IDisposable
{
    private readonly AgentHostFactory _host = new();

    [Fact]
    public async Task AThousandRefusedRequests_WriteAHandfulOfBoundedEvents_CountingEveryOne()
    {
        _host.RemoteAddress = IPAddress.Parse("203.0.113.9");
        var anonymous = _host.CreateClientAs(null);
        var forged = _host.CreateClientAs("root@example.com");
        var before = await AuthDeniedRowsAsync();
        var path = "/api/agents/" + new string('x', 8000);
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < 1000; i++)
        {
            var response = await (i % 2 == 0 ? anonymous : forged).GetAsync(path + "?i=" + i);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        watch.Stop();
        (await AuthDeniedRowsAsync()).ShouldBe(before, "nothing is written per refused request");
        await _host.FlushRefusalsAsync();
        _host.RemoteAddress = IPAddress.Loopback;
        var events = (await _host.Services.GetRequiredService<AuditReader>().SearchAsync(new AuditFilter(Type: AuditEventTypes.AuthDenied), null, 100, CancellationToken.None)).Events;

        // Two buckets at most (the run may straddle a minute), each well under a kilobyte or two.
        events.Count.ShouldBeInRange(1, 2);
        var data = events.Select(e => JsonDocument.Parse(e.Data).RootElement).ToList();
        data.Sum(d => d.GetProperty("count").GetInt32()).ShouldBe(1000);
        data.Sum(d => d.GetProperty("kinds").GetProperty("401").GetInt32()).ShouldBe(1000);
        data.ShouldAllBe(d => d.GetProperty("remoteAddress").GetString() == "203.0.113.9" && d.GetProperty("path").GetString()!.Length == 512);
        data.SelectMany(d => d.GetProperty("reasons").EnumerateObject()).Select(r => r.Name).ShouldContain("development sign-in is accepted from loopback only");
        events.Max(e => e.Data.Length).ShouldBeLessThan(2048);
        output.WriteLine($"1000 refused requests in {watch.ElapsedMilliseconds} ms -> {events.Count} audit event(s), largest data {events.Max(e => e.Data.Length)} bytes");
    }

    [Fact]
    public async Task OpenBuckets_AreWrittenWhenTheHostStops()
    {
        _host.OwnsData = false;
        _host.RemoteAddress = IPAddress.Parse("203.0.113.10");
        (await _host.CreateClientAs(null).GetAsync("/api/policy")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        _host.Dispose();

        using var restarted = new AgentHostFactory(dataDirectory: _host.DataDirectory) { OwnsData = true };
        var events = (await restarted.Services.GetRequiredService<AuditReader>().SearchAsync(new AuditFilter(Type: AuditEventTypes.AuthDenied), null, 10, CancellationToken.None)).Events;

        events.ShouldContain(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("remoteAddress").GetString() == "203.0.113.10");
    }

    public void Dispose() => _host.Dispose();

    private async Task<long> AuthDeniedRowsAsync()
    {
        await using var connection = await _host.Services.GetRequiredService<StoreDatabase>().OpenAsync(CancellationToken.None);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM audit_events WHERE type = 'auth.denied'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
