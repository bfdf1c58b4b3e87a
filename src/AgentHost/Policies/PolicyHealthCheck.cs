using AgentHost.Core.Policies;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AgentHost.Policies;

/// <summary>Ready only with a policy set in force; a host without one must not take traffic.</summary>
public sealed class PolicyHealthCheck(PolicyProvider provider, PolicyHistory history) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!provider.HasPolicy)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("no policy set has loaded"));
        }

        var recent = history.Recent();
        var last = recent.Count > 0 ? recent[0] : null;
        return Task.FromResult(last is { Loaded: false }
            ? HealthCheckResult.Degraded($"the last change was rejected; still enforcing {provider.Current.Hash}")
            : HealthCheckResult.Healthy($"enforcing {provider.Current.Hash}"));
    }
}
