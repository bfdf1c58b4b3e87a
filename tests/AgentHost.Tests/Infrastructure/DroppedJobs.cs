using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Infrastructure;

/// <summary>
/// The host's job client, except that the jobs a test names are never queued: a host that acknowledged
/// something and died before its job ran, without killing a process.
/// </summary>
public sealed class DroppedJobs(IBackgroundJobClient inner, Func<Job, bool> dropped) : IBackgroundJobClient
{
    public static void Install(IServiceCollection services, Func<Job, bool> dropped)
    {
        var original = services.Last(d => d.ServiceType == typeof(IBackgroundJobClient));
        services.Remove(original);
        services.AddSingleton<IBackgroundJobClient>(sp => new DroppedJobs(
            (IBackgroundJobClient)(original.ImplementationInstance
                ?? original.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, original.ImplementationType!)),
            dropped));
    }

    public string Create(Job job, IState state) => dropped(job) ? "dropped" : inner.Create(job, state);

    public bool ChangeState(string jobId, IState state, string expectedState) => inner.ChangeState(jobId, state, expectedState);
}
