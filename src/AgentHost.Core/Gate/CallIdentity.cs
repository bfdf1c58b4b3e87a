namespace AgentHost.Core.Gate;

/// <summary>
/// Who a proposed call is. The host numbers every call of a model reply itself (turn and position), so
/// two calls can never share an identity whatever ids the model sent: duplicates, empty ids or an id of
/// an earlier turn's call. The model's id is kept only as a correlation field, and only when it is a
/// plain short token; anything else is dropped rather than stored or audited as is.
/// </summary>
public static class CallIdentity
{
    public const int MaxModelIdLength = 64;

    /// <summary>The host's id of the call at <paramref name="index"/> (0-based) of the reply of <paramref name="turn"/>.</summary>
    public static string HostId(int turn, int index) => $"call_{turn}_{index}";

    /// <summary>The model's id as a correlation field, or null when it is missing, oversized or has odd characters.</summary>
    public static string? Correlation(string? modelId) =>
        modelId is { Length: > 0 and <= MaxModelIdLength } && modelId.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':') ? modelId : null;
}
