using AgentHost.Core.Audit;

namespace AgentHost.Audit;

/// <summary>
/// What a verification covered, in words: which events sit under the latest signed checkpoint and which
/// were only hash-checked (written after it; signed at the next checkpoint). "Every checkpoint matches"
/// alone would let a reader believe the newest events are signed when they are not yet.
/// </summary>
public static class AuditCoverage
{
    /// <summary>How many events the latest verified checkpoint covers (0 when none does).</summary>
    public static long SignedEvents(AuditVerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Math.Min(result.LatestVerifiedCheckpoint?.TreeSize ?? 0, result.Count);
    }

    public static string Describe(AuditVerificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var count = result.Count;
        var signed = SignedEvents(result);
        var under = result.SignaturesChecked ? "the latest signed checkpoint" : "the latest checkpoint (its signature was not checked)";
        if (!result.Valid)
        {
            return $"The trail does not verify: {result.Reason}. Nothing after the fault is vouched for.";
        }

        if (count == 0)
        {
            return "The trail is empty: there is nothing to check yet.";
        }

        if (signed == 0)
        {
            return $"{Range(1, count)} {(count == 1 ? "is" : "are")} hash-checked; no signed checkpoint covers {(count == 1 ? "it" : "them")} yet: {(count == 1 ? "it" : "they")} will be signed at the next checkpoint.";
        }

        if (signed == count)
        {
            return $"{Range(1, count)} {(count == 1 ? "is" : "are")} under {under}.";
        }

        var tail = count - signed;
        return $"{Range(1, signed)} {(signed == 1 ? "is" : "are")} under {under}; {Range(signed + 1, count, capital: false)} {(tail == 1 ? "is" : "are")} hash-checked and will be signed at the next checkpoint.";
    }

    private static string Range(long first, long last, bool capital = true)
    {
        var word = first == last ? "event" : "events";
        var text = first == last
            ? $"{word} {first}"
            : $"{word} {first}–{last}";
        return capital ? char.ToUpperInvariant(text[0]) + text[1..] : text;
    }
}
