using System.Security.Cryptography;

namespace AgentHost.Core.Audit.Content;

/// <summary>
/// Holds the stored content against what the verified events committed to: every body must hash to its
/// name, every piece an event or a stored message names must exist, and a body may be missing only where
/// a content.removed event says retention removed it. Reads each row once.
/// </summary>
public static class ContentVerifier
{
    public static ContentVerification Verify(ContentLedger ledger, IEnumerable<StoredContent> rows)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(rows);
        var present = new HashSet<string>(StringComparer.Ordinal);
        var nested = new List<string>();
        long hashed = 0, removed = 0;
        Span<byte> digest = stackalloc byte[32];
        foreach (var row in rows)
        {
            present.Add(row.Sha256);
            if (row.Body is null)
            {
                if (!ledger.RemovedUnderRetention.Contains(row.Sha256))
                {
                    return Invalid(ledger, row.Sha256, hashed, removed, "was removed, but no content.removed event records its removal");
                }

                removed++;
                continue;
            }

            byte[] text;
            try
            {
                text = AuditContent.Decompress(row.Body, row.Bytes);
            }
            catch (InvalidDataException)
            {
                return Invalid(ledger, row.Sha256, hashed, removed, "was changed: its stored body does not read back");
            }

            SHA256.HashData(text, digest);
            if (text.LongLength != row.Bytes || !Convert.ToHexStringLower(digest).Equals(row.Sha256, StringComparison.Ordinal))
            {
                return Invalid(ledger, row.Sha256, hashed, removed, "was changed: its body no longer hashes to its name");
            }

            if (row.Kind == AuditContentKind.Model)
            {
                // A message names the tool results it carried: they are committed to through it.
                ContentReferences.Collect(System.Text.Encoding.UTF8.GetString(text), nested);
            }

            hashed++;
        }

        foreach (var (hash, seq) in ledger.Referenced)
        {
            if (!present.Contains(hash))
            {
                return new ContentVerification(hashed, removed, seq, hash, $"content {Short(hash)}… named by event {seq} is missing");
            }
        }

        foreach (var hash in nested)
        {
            if (!present.Contains(hash))
            {
                return new ContentVerification(hashed, removed, null, hash, $"content {Short(hash)}… named by a stored model message is missing");
            }
        }

        return new ContentVerification(hashed, removed, null, null, null);
    }

    private static ContentVerification Invalid(ContentLedger ledger, string hash, long hashed, long removed, string what)
    {
        var seq = ledger.Referenced.TryGetValue(hash, out var first) ? first : (long?)null;
        var named = seq is null ? "" : $" (named by event {seq})";
        return new ContentVerification(hashed, removed, seq, hash, $"content {Short(hash)}…{named} {what}");
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
