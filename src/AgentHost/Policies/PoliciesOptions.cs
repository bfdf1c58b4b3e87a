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
}
