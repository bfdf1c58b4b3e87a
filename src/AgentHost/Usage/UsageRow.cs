namespace AgentHost.Usage;

/// <summary>
/// Tokens next to what they bought, for one agent, owner or team. Effects are executed calls of
/// write or destructive tools; reads are counted apart, since a read alone changes nothing.
/// </summary>
public sealed record UsageRow(
    string Key,
    string Label,
    int Runs,
    long InputTokens,
    long OutputTokens,
    IReadOnlyDictionary<string, int> EffectsByKind,
    int Reads,
    int ApprovalsGranted,
    int ApprovalsRejected,
    int RunsWithoutEffect,
    decimal? Cost)
{
    public long Tokens => InputTokens + OutputTokens;

    public int Effects => EffectsByKind.Values.Sum();

    /// <summary>Null when nothing was effected: "tokens per nothing" is not a number to compare.</summary>
    public long? TokensPerEffect => Effects == 0 ? null : Tokens / Effects;
}
