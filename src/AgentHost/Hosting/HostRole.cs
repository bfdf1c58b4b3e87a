namespace AgentHost.Hosting;

/// <summary>
/// What this process does (`--role`): web answers HTTP and enqueues work, worker executes runs and
/// owns the background loops (mail polling, approval expiry, start-up reconciliation); all does both,
/// which is the only choice on SQLite, whose jobs live in this process's memory.
/// </summary>
public enum HostRole
{
    All,
    Web,
    Worker,
}

public static class HostRoles
{
    public static HostRole Role(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configured = builder.Configuration["Role"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return HostRole.All;
        }

        return Enum.TryParse<HostRole>(configured, ignoreCase: true, out var role) && Enum.IsDefined(role)
            ? role
            : throw new InvalidOperationException($"--role '{configured}' is not one of all, web, worker");
    }

    public static bool RunsWorkers(this WebApplicationBuilder builder) => builder.Role() is HostRole.All or HostRole.Worker;

    public static bool ServesWeb(this WebApplicationBuilder builder) => builder.Role() is HostRole.All or HostRole.Web;
}
