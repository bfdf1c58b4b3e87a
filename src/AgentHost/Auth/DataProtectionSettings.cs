namespace AgentHost.Auth;

public sealed class DataProtectionSettings
{
    /// <summary>
    /// Names this deployment's key ring (Auth:DataProtection:ApplicationName); every process of one
    /// deployment must use the same name, and two deployments never should. Default "AgentHost:" + Auth:Mode.
    /// </summary>
    public string? ApplicationName { get; set; }
}
