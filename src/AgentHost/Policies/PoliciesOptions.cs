using System.ComponentModel.DataAnnotations;

namespace AgentHost.Policies;

public sealed class PoliciesOptions
{
    public const string Section = "Policies";

    /// <summary>Folder of policy YAML files; relative paths resolve from the content root upwards.</summary>
    [Required]
    public string Path { get; set; } = "policies";

    /// <summary>Quiet time after a file change before reloading, so an editor's several writes load once.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ReloadDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How far back a reload (and the policies page by default) replays recorded calls against the new set.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "400.00:00:00")]
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>At most this many of the newest calls are replayed; a reload must not stall on years of history.</summary>
    [Range(1, 10_000_000)]
    public int ReplayLimit { get; set; } = 1_000_000;
}
