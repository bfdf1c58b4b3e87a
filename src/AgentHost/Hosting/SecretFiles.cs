using System.Collections;

namespace AgentHost.Hosting;

/// <summary>
/// Secrets from files, the `*_FILE` convention of container images: an environment variable
/// `Slack__BotToken_FILE=/run/secrets/slack_bot_token` sets `Slack:BotToken` to that file's text (one
/// trailing newline dropped), so a secret is mounted, never written inline in docker-compose.yml or the
/// environment. It overrides the same key set any other way. A file that cannot be read stops start-up
/// with the variable and the path; the value itself is never logged or echoed. Only variables of the
/// host's own sections count (<see cref="ConfigurationKeys"/>): TF_CLI_CONFIG_FILE and its kind are not ours.
/// </summary>
public static class SecretFiles
{
    public const string Suffix = "_FILE";

    public static IConfigurationBuilder AddSecretFiles(this IConfigurationBuilder configuration, IDictionary? environment = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry variable in environment ?? Environment.GetEnvironmentVariables())
        {
            if (variable.Key is not string name || !name.EndsWith(Suffix, StringComparison.Ordinal) || !name.Contains("__", StringComparison.Ordinal)
                || !ConfigurationKeys.IsSection(name[..name.IndexOf("__", StringComparison.Ordinal)]) || variable.Value is not string { Length: > 0 } path)
            {
                continue;
            }

            values[Key(name)] = Read(name, path);
        }

        return values.Count == 0 ? configuration : configuration.AddInMemoryCollection(values);
    }

    /// <summary>`ConnectionStrings__AgentHost_FILE` is the configuration key `ConnectionStrings:AgentHost`.</summary>
    public static string Key(string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var name = variable.EndsWith(Suffix, StringComparison.Ordinal) ? variable[..^Suffix.Length] : variable;
        return name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
    }

    private static string Read(string variable, string path)
    {
        try
        {
            var text = File.ReadAllText(path);
            return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{variable} names '{path}', which cannot be read: {ex.GetType().Name}", ex);
        }
    }
}
