using System.Globalization;
using System.Text.Json.Nodes;
using AgentHost.Core.Audit;

namespace AgentHost.Auth;

/// <summary>
/// Refused requests (401, 403, refused sign-ins, rejected Slack calls), counted per remote address,
/// actor and minute and written as one audit event per bucket when its minute has closed. Anyone who can
/// reach the port can be refused, so the audit trail (append-only, permanent) grows by at most one row
/// of bounded size per (address, actor, type) and minute, not by one row per request.
/// </summary>
public sealed class RefusedRequests(TimeProvider time)
{
    public const int MaxPathLength = 512;
    public const int MaxReasonLength = 200;
    public const int MaxClaimedUserLength = 256;

    /// <summary>Distinct reasons kept per bucket; the rest are counted under "other".</summary>
    public const int MaxReasons = 8;

    /// <summary>Buckets open at once; addresses beyond these (a spread-out flood) share one bucket, "*".</summary>
    public const int MaxBuckets = 1024;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<Key, Bucket> _open = [];

    public static class Kinds
    {
        public const string Unauthenticated = "401";
        public const string Forbidden = "403";
        public const string SignIn = "signin";
        public const string Slack = "slack";
    }

    /// <summary>Counts one refusal; cheap and synchronous, so a flood costs memory of bounded size only.</summary>
    public void Record(HttpContext context, string type, string kind, string reason, AuditActor? actor = null, string? claimedUser = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var now = time.GetUtcNow();
        var start = new DateTimeOffset(now.Ticks - (now.Ticks % Window.Ticks), TimeSpan.Zero);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var who = (actor ?? AuditActor.System).ToString();
        lock (_lock)
        {
            var key = new Key(type, who, address, start);
            if (!_open.TryGetValue(key, out var bucket))
            {
                if (_open.Count >= MaxBuckets)
                {
                    key = key with { Address = "*" };
                }

                if (!_open.TryGetValue(key, out bucket))
                {
                    bucket = new Bucket(actor ?? AuditActor.System, Cap(context.Request.Path.Value ?? "/", MaxPathLength));
                    _open[key] = bucket;
                }
            }

            bucket.Count++;
            bucket.FirstReason ??= Cap(reason, MaxReasonLength);
            bucket.Kinds[kind] = bucket.Kinds.GetValueOrDefault(kind) + 1;
            reason = Cap(reason, MaxReasonLength);
            var counted = bucket.Reasons.Count < MaxReasons || bucket.Reasons.ContainsKey(reason) ? reason : "other";
            bucket.Reasons[counted] = bucket.Reasons.GetValueOrDefault(counted) + 1;
            if (bucket.ClaimedUser is null && !string.IsNullOrWhiteSpace(claimedUser))
            {
                bucket.ClaimedUser = Cap(claimedUser.Trim(), MaxClaimedUserLength);
            }
        }
    }

    /// <summary>Takes the buckets whose minute has closed (or all of them, at shutdown) as audit entries.</summary>
    public IReadOnlyList<AuditEntry> TakeClosed(bool all)
    {
        var now = time.GetUtcNow();
        List<KeyValuePair<Key, Bucket>> closed;
        lock (_lock)
        {
            closed = _open.Where(b => all || b.Key.Start + Window <= now).OrderBy(b => b.Key.Start).ToList();
            foreach (var (key, _) in closed)
            {
                _open.Remove(key);
            }
        }

        return closed.Select(b => Entry(b.Key, b.Value)).ToList();
    }

    private static AuditEntry Entry(Key key, Bucket bucket)
    {
        var reasons = new JsonObject();
        foreach (var (reason, count) in bucket.Reasons)
        {
            reasons[reason] = count;
        }

        var kinds = new JsonObject();
        foreach (var (kind, count) in bucket.Kinds)
        {
            kinds[kind] = count;
        }

        var data = new JsonObject
        {
            ["remoteAddress"] = key.Address,
            ["count"] = bucket.Count,
            ["window"] = string.Create(CultureInfo.InvariantCulture, $"{key.Start:yyyy-MM-ddTHH:mm:ssZ}/{key.Start + Window:yyyy-MM-ddTHH:mm:ssZ}"),
            ["path"] = bucket.FirstPath,
            ["kinds"] = kinds,
            ["reason"] = bucket.FirstReason,
            ["reasons"] = reasons,
        };
        if (bucket.ClaimedUser is not null)
        {
            data["claimedUser"] = bucket.ClaimedUser;
        }

        return new AuditEntry(key.Type, bucket.Actor, Data: data);
    }

    private static string Cap(string value, int length) => value.Length > length ? value[..length] : value;

    private readonly record struct Key(string Type, string Actor, string Address, DateTimeOffset Start);

    private sealed class Bucket(AuditActor actor, string firstPath)
    {
        public AuditActor Actor { get; } = actor;

        public string FirstPath { get; } = firstPath;

        public int Count { get; set; }

        public Dictionary<string, int> Kinds { get; } = new(StringComparer.Ordinal);

        public string? FirstReason { get; set; }

        public Dictionary<string, int> Reasons { get; } = new(StringComparer.Ordinal);

        public string? ClaimedUser { get; set; }
    }
}
