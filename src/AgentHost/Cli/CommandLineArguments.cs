namespace AgentHost.Cli;

/// <summary>`verb subverb --name value --flag`: small enough not to need a parsing library.</summary>
public sealed class CommandLineArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    private CommandLineArguments(IReadOnlyList<string> words) => Words = words;

    public IReadOnlyList<string> Words { get; }

    public static CommandLineArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var words = new List<string>();
        var parsed = new CommandLineArguments(words);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var hasValue = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
                parsed._options[args[i][2..]] = hasValue ? args[++i] : null;
            }
            else
            {
                words.Add(args[i]);
            }
        }

        return parsed;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.GetValueOrDefault(name);

    public long? GetInt64(string name) =>
        _options.GetValueOrDefault(name) is { } text
            ? long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new CommandLineException($"--{name} must be a whole number, got '{text}'")
            : null;

    public string Require(string name) =>
        _options.GetValueOrDefault(name) ?? throw new CommandLineException($"--{name} is required");
}
