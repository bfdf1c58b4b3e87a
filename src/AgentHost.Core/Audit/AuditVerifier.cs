using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Audit.Merkle;
using AgentHost.Core.Storage;

namespace AgentHost.Core.Audit;

/// <summary>
/// Recomputes the log from its events and holds it against the signed checkpoints. It reads the events
/// once, in order, keeping O(log n) state, so it runs offline on a copied database or an export.
/// </summary>
public sealed class AuditVerifier(CheckpointVerifier? signatures)
{
    /// <param name="content">Gathers what the events say about content, for <see cref="ContentVerifier"/> once the events hold.</param>
    public AuditVerificationResult Verify(IEnumerable<AuditEvent> events, IEnumerable<string> checkpointNotes, ContentLedger? content = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(checkpointNotes);
        if (!TryReadCheckpoints(checkpointNotes, out var checkpoints, out var failure))
        {
            return failure;
        }

        var tree = new MerkleTreeBuilder();
        Span<byte> leaf = stackalloc byte[MerkleHash.Size];
        Span<byte> root = stackalloc byte[MerkleHash.Size];
        var next = 0;
        long expected = 1, previousTimestamp = long.MinValue, lastGoodSize = 0;
        Checkpoint? latest = null;
        while (next < checkpoints.Count && checkpoints[next].TreeSize == 0)
        {
            if (!checkpoints[next].RootHash.AsSpan().SequenceEqual(MerkleHash.EmptyRoot()))
            {
                return Invalid(0, null, 0, "the checkpoint at size 0 does not have the empty root");
            }

            latest = checkpoints[next++];
        }

        foreach (var e in events)
        {
            if (e.Sequence != expected)
            {
                return e.Sequence > expected
                    ? Invalid(expected - 1, expected, null, $"event {expected} is missing (the next stored event is {e.Sequence})", latest)
                    : Invalid(expected - 1, e.Sequence, null, $"event {e.Sequence} appears again or out of order after event {expected - 1}", latest);
            }

            var timestamp = StoreTime.ToMicroseconds(e.Timestamp);
            AuditCanonicalForm.LeafHash(e.Sequence, timestamp, e.Type, e.Actor.ToString(), e.AgentId, e.RunId, e.Data, leaf);
            if (!leaf.SequenceEqual(e.LeafHash))
            {
                return Invalid(expected - 1, e.Sequence, null, $"event {e.Sequence} was changed: its fields do not hash to its stored leaf hash", latest);
            }

            if (timestamp < previousTimestamp)
            {
                return Invalid(expected - 1, e.Sequence, null, $"event {e.Sequence} is dated before event {e.Sequence - 1}: events were reordered", latest);
            }

            previousTimestamp = timestamp;
            content?.Observe(e);
            tree.Append(leaf);
            expected++;
            while (next < checkpoints.Count && checkpoints[next].TreeSize == tree.Size)
            {
                tree.Root(root);
                var checkpoint = checkpoints[next++];
                if (!root.SequenceEqual(checkpoint.RootHash))
                {
                    return Invalid(
                        tree.Size,
                        null,
                        checkpoint.TreeSize,
                        $"events {lastGoodSize + 1} to {checkpoint.TreeSize} no longer match the signed checkpoint at size {checkpoint.TreeSize}: the log was rewritten there",
                        latest);
                }

                latest = checkpoint;
                lastGoodSize = checkpoint.TreeSize;
            }
        }

        var count = expected - 1;
        if (next < checkpoints.Count)
        {
            var missing = checkpoints[next].TreeSize;
            return Invalid(count, count + 1, missing, $"the log ends at event {count} but a checkpoint was signed at size {missing}: events {count + 1} to {missing} were removed", latest);
        }

        return new AuditVerificationResult(true, count, latest, null, null, null, signatures is not null);
    }

    private bool TryReadCheckpoints(IEnumerable<string> notes, out List<Checkpoint> checkpoints, out AuditVerificationResult failure)
    {
        checkpoints = [];
        failure = null!;
        foreach (var note in notes)
        {
            Checkpoint? checkpoint;
            string? error;
            var ok = signatures is null
                ? CheckpointNote.TryParseBody(note[..Math.Max(0, note.IndexOf("\n\n", StringComparison.Ordinal) + 1)], out checkpoint, out error)
                : signatures.TryVerify(note, out checkpoint, out error);
            if (!ok)
            {
                var size = CheckpointNote.TryParseBody(note[..Math.Max(0, note.IndexOf("\n\n", StringComparison.Ordinal) + 1)], out var claimed, out _) ? claimed.TreeSize : (long?)null;
                failure = Invalid(0, null, size ?? -1, $"checkpoint {(size is null ? "(unreadable)" : "at size " + size)} is not genuine: {error}");
                return false;
            }

            checkpoints.Add(checkpoint!);
        }

        checkpoints.Sort((a, b) => a.TreeSize.CompareTo(b.TreeSize));
        for (var i = 1; i < checkpoints.Count; i++)
        {
            if (checkpoints[i].TreeSize == checkpoints[i - 1].TreeSize && !checkpoints[i].RootHash.AsSpan().SequenceEqual(checkpoints[i - 1].RootHash))
            {
                failure = Invalid(0, null, checkpoints[i].TreeSize, $"two signed checkpoints at size {checkpoints[i].TreeSize} disagree: the log was forked");
                return false;
            }
        }

        return true;
    }

    private AuditVerificationResult Invalid(long count, long? seq, long? checkpointSize, string reason, Checkpoint? latest = null) =>
        new(false, count, latest, seq, checkpointSize, reason, signatures is not null);
}
