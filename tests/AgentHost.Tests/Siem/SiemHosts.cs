using System.Globalization;
using System.Text.Json.Nodes;
using AgentHost.Core.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Siem;

/// <summary>Host settings for the SIEM stream as an operator writes them, with short waits for tests, and the trail to compare with.</summary>
internal static class SiemHosts
{
    public static Dictionary<string, string?> Syslog(int port, string hostName, string name = "siem") => new(Fast)
    {
        ["SiemStream:Destinations:0:Name"] = name,
        ["SiemStream:Destinations:0:Kind"] = "syslog",
        ["SiemStream:Destinations:0:Host"] = "127.0.0.1",
        ["SiemStream:Destinations:0:Port"] = port.ToString(CultureInfo.InvariantCulture),
        ["SiemStream:Destinations:0:HostName"] = hostName,
    };

    public static Dictionary<string, string?> Webhook(Uri url, string secret, string name = "hook") => new(Fast)
    {
        ["SiemStream:Destinations:0:Name"] = name,
        ["SiemStream:Destinations:0:Kind"] = "webhook",
        ["SiemStream:Destinations:0:Url"] = url.ToString(),
        ["SiemStream:Destinations:0:Secret"] = secret,
    };

    public static string NewSecret() => "whsec-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    public static string NewHostName() => "ah-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Appends <paramref name="count"/> events through the host's audit log, in transactions of up to 500.</summary>
    public static async Task AppendAsync(AgentHostFactory host, int count, string note = "siem test")
    {
        var log = host.Services.GetRequiredService<IAuditLog>();
        for (var done = 0; done < count; done += 500)
        {
            var entries = Enumerable.Range(done, Math.Min(500, count - done))
                .Select(i => new AuditEntry(AuditEventTypes.AgentUpdated, AuditActor.Employee("alice@example.com"), "ag_siem", Data: new JsonObject { ["note"] = note, ["i"] = i, ["text"] = "é ✓ \"quoted\"\nnewline" }))
                .ToList();
            await log.AppendAsync(entries, null, CancellationToken.None);
        }
    }

    /// <summary>The whole trail as the store holds it: (seq, leaf hash in hex).</summary>
    public static async Task<List<(long Seq, string LeafHash)>> TrailAsync(AgentHostFactory host)
    {
        var trail = new List<(long, string)>();
        await foreach (var e in host.Services.GetRequiredService<AuditReader>().StreamAsync(new AuditFilter(), null, null, CancellationToken.None))
        {
            trail.Add((e.Sequence, Convert.ToHexStringLower(e.LeafHash)));
        }

        return trail;
    }

    /// <summary>What arrived, each seq once (at-least-once allows copies, which must be the same event), in arrival order.</summary>
    public static List<(long Seq, string LeafHash)> Distinct(IEnumerable<ReceivedEvent> received)
    {
        var seen = new Dictionary<long, string>();
        var ordered = new List<(long, string)>();
        foreach (var r in received)
        {
            if (seen.TryGetValue(r.Seq, out var hash))
            {
                hash.ShouldBe(r.LeafHash, $"a copy of seq {r.Seq} must be the same event");
                continue;
            }

            seen[r.Seq] = r.LeafHash;
            ordered.Add((r.Seq, r.LeafHash));
        }

        return ordered;
    }

    private static Dictionary<string, string?> Fast => new()
    {
        ["SiemStream:PollInterval"] = "00:00:00.050",
        ["SiemStream:InitialBackoff"] = "00:00:00.100",
        ["SiemStream:MaxBackoff"] = "00:00:00.400",
    };
}
