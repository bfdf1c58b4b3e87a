namespace AgentHost.Hosting;

/// <summary>A configuration key whose value is a secret: the redactor removes that value wherever it would be written.</summary>
public sealed record SecretSetting(string Key);

public static class SecretSettings
{
    /// <summary>
    /// Each feature names its own secret keys where it binds its options, so a new credential cannot be
    /// added without the redactor hearing of it from the same registration.
    /// </summary>
    public static WebApplicationBuilder AddSecretSettings(this WebApplicationBuilder builder, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            builder.Services.AddSingleton(new SecretSetting(key));
        }

        return builder;
    }
}
