using System.ComponentModel.DataAnnotations;

namespace AgentHost.Employees;

public sealed class DirectoryOptions
{
    public const string Section = "Directory";

    /// <summary>The development user directory (YAML); relative paths resolve from the content root upwards.</summary>
    [Required]
    public string Path { get; set; } = "src/AgentHost/directory.yaml";
}
