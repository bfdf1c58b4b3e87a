using AgentHost.Core.Approvals;
using AgentHost.Core.Audit;
using AgentHost.Core.Runs;
using Microsoft.Extensions.Options;

namespace AgentHost.Runs;

/// <summary>A refused start or approval request: which limit, and when the oldest counted one leaves the window.</summary>
public sealed record RateLimitRefusal(string Limit, int Allowed, int Used, TimeSpan RetryAfter, string Per = "hour")
{
    public string Message => Per == "hour"
        ? $"{Limit}: {Used} of {Allowed} in the last hour; try again in {Math.Ceiling(RetryAfter.TotalMinutes)} min"
        : $"{Limit}: {Used} of {Allowed} in the last {Per}; try again in {Math.Ceiling(RetryAfter.TotalSeconds)} s";
}

/// <summary>
/// The per-agent hourly limits of <see cref="LimitsOptions"/>. Every refusal is a budget.exceeded audit
/// event: a limit hit is what a runaway or fooled agent looks like, so reviewers must see it.
/// </summary>
public sealed class AgentRateLimits(RunStore runs, ApprovalStore approvals, IOptions<LimitsOptions> options, IAuditLog audit, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public static readonly TimeSpan EffectWindow = TimeSpan.FromMinutes(1);

    public async Task<RateLimitRefusal?> CheckRunAsync(string agentId, AuditActor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (count, oldest) = await runs.CreatedSinceAsync(agentId, now - Window, cancellationToken);
        return await RefuseAsync("runsPerHour", options.Value.RunsPerAgentPerHour, count, oldest, now, actor, agentId, null, cancellationToken);
    }

    /// <summary>
    /// How many more runs the agent may start in the sliding hour; not audited. A trigger that holds work
    /// back (email arrivals wait in their folder) asks this, and <see cref="CheckRunAsync"/> once to record the refusal.
    /// </summary>
    public async Task<int> RunsLeftAsync(string agentId, CancellationToken cancellationToken)
    {
        var (count, _) = await runs.CreatedSinceAsync(agentId, time.GetUtcNow() - Window, cancellationToken);
        return Math.Max(0, options.Value.RunsPerAgentPerHour - count);
    }

    public async Task<RateLimitRefusal?> CheckApprovalAsync(string agentId, string runId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (count, oldest) = await approvals.CreatedSinceAsync(agentId, now - Window, cancellationToken);
        return await RefuseAsync("approvalsPerHour", options.Value.ApprovalsPerAgentPerHour, count, oldest, now, AuditActor.System, agentId, runId, cancellationToken);
    }

    /// <summary>
    /// The effects-per-minute limit for one more write of an agent; null when it may go ahead. Not audited
    /// here: the refusal rides with the refused call's own gate events (ToolCallHandler).
    /// </summary>
    public async Task<RateLimitRefusal?> CheckEffectAsync(string agentId, CancellationToken cancellationToken)
    {
        var allowed = options.Value.EffectsPerAgentPerMinute;
        var used = await runs.EffectsSinceAsync(agentId, time.GetUtcNow() - EffectWindow, cancellationToken);
        return used < allowed ? null : new RateLimitRefusal("effectsPerMinute", allowed, (int)used, EffectWindow, "minute");
    }

    private async Task<RateLimitRefusal?> RefuseAsync(string limit, int allowed, int used, DateTimeOffset? oldest, DateTimeOffset now, AuditActor actor, string agentId, string? runId, CancellationToken cancellationToken)
    {
        if (used < allowed)
        {
            return null;
        }

        var retryAfter = oldest is { } first && first + Window > now ? first + Window - now : TimeSpan.FromMinutes(1);
        var refusal = new RateLimitRefusal(limit, allowed, used, retryAfter);
        await audit.AppendAsync(new AuditEntry(AuditEventTypes.BudgetExceeded, actor, agentId, runId, new()
        {
            ["budget"] = limit,
            ["limit"] = allowed,
            ["used"] = used,
            ["retryAfterSeconds"] = (long)Math.Ceiling(retryAfter.TotalSeconds),
        }), cancellationToken);
        return refusal;
    }
}
