using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Audit.Merkle;
using AgentHost.Core.Storage;
using Microsoft.Data.Sqlite;

namespace AgentHost.Tests.Audit;

/// <summary>
/// An attacker with the database file (but not the signing key) edits it directly. Each change must be
/// found, and the report must say where.
/// </summary>
public sealed class AuditTamperTests
{
    private const int Events = 40;

    [Fact]
    public async Task Untouched_Log_Verifies()
    {
        await using var log = await StartLogAsync();

        var result = log.VerifyFile();

        result.Valid.ShouldBeTrue(result.Reason);
        result.Count.ShouldBe(Events);
        result.SignaturesChecked.ShouldBeTrue();
        result.LatestVerifiedCheckpoint!.TreeSize.ShouldBe(Events);
    }

    [Fact]
    public async Task EscapedTextAndNulls_HashTheSameWhenVerified()
    {
        await using var log = await AuditLogFixture.StartAsync(checkpointEvery: 3);
        foreach (var text in new[] { "plain", "quote \" and backslash \\", "ümlaut, 中文, emoji 🚀", "<script>&amp;</script>", "tab\tnewline\n\u0001" })
        {
            await log.Writer.AppendAsync(new AuditEntry(AuditEventTypes.ModelCalled, AuditActor.Employee("zoë@example.com"), null, null, new() { ["text"] = text, ["n"] = 1.5 }), CancellationToken.None);
            await log.AppendAsync(note: text);
        }

        await log.Writer.StopAsync();
        var result = log.VerifyFile();

        result.Valid.ShouldBeTrue(result.Reason);
        result.Count.ShouldBe(10);
        result.LatestVerifiedCheckpoint!.TreeSize.ShouldBe(10);
    }

    [Fact]
    public async Task ChangedField_IsLocatedAtItsSequence()
    {
        await using var log = await StartLogAsync();
        await log.TamperAsync("UPDATE audit_events SET actor = 'employee:mallory@example.com' WHERE seq = 17");

        var result = log.VerifyFile();

        result.Valid.ShouldBeFalse();
        result.FirstInvalidSeq.ShouldBe(17);
        result.Reason!.ShouldContain("event 17 was changed");
    }

    [Fact]
    public async Task ChangedField_WithRecomputedLeafHash_IsLocatedAtTheCheckpointThatCoversIt()
    {
        await using var log = await StartLogAsync();
        var original = (await log.Reader.SearchAsync(new AuditFilter(), 22, 1, CancellationToken.None)).Events[0];
        var forgedLeaf = AuditCanonicalForm.LeafHash(23, StoreTime.ToMicroseconds(original.Timestamp), original.Type, original.Actor.ToString(), original.AgentId, original.RunId, "{\"note\":\"nothing happened\"}");
        await log.TamperAsync($"UPDATE audit_events SET data = '{{\"note\":\"nothing happened\"}}', leaf_hash = X'{Convert.ToHexString(forgedLeaf)}' WHERE seq = 23");

        var result = log.VerifyFile();

        result.Valid.ShouldBeFalse();
        result.FirstInvalidSeq.ShouldBeNull();
        result.FirstBadCheckpointSize.ShouldBe(30);
        result.Reason!.ShouldContain("events 21 to 30");
        result.LatestVerifiedCheckpoint!.TreeSize.ShouldBe(20);
    }

    [Fact]
    public async Task DeletedEvent_IsLocatedAsTheFirstMissingSequence()
    {
        await using var log = await StartLogAsync();
        await log.TamperAsync("DELETE FROM audit_events WHERE seq = 12");

        var result = log.VerifyFile();

        result.Valid.ShouldBeFalse();
        result.FirstInvalidSeq.ShouldBe(12);
        result.Reason!.ShouldContain("event 12 is missing");
    }

    [Fact]
    public async Task InsertedEvent_WithRenumberedTail_IsLocatedWhereItWasInserted()
    {
        await using var log = await StartLogAsync();
        await log.TamperAsync(
            "UPDATE audit_events SET seq = seq + 1000 WHERE seq >= 9; UPDATE audit_events SET seq = seq - 999 WHERE seq >= 1009; "
            + "INSERT INTO audit_events (seq, ts, type, actor, agent_id, run_id, data, leaf_hash) "
            + "SELECT 9, ts, 'approval.decided', 'approver:mallory@example.com', agent_id, run_id, '{}', leaf_hash FROM audit_events WHERE seq = 8");

        var result = log.VerifyFile();

        result.Valid.ShouldBeFalse();
        result.FirstInvalidSeq.ShouldBe(9);
    }

    [Fact]
    public async Task SwappedEvents_AreLocatedAtTheFirstOfThePair()
    {
        await using var log = await StartLogAsync();
        await log.TamperAsync("UPDATE audit_events SET seq = -1 WHERE seq = 5; UPDATE audit_events SET seq = 5 WHERE seq = 6; UPDATE audit_events SET seq = 6 WHERE seq = -1");

        var result = log.VerifyFile();

        result.Valid.ShouldBeFalse();
        result.FirstInvalidSeq.ShouldBe(5);
    }

    [Fact]
    public async Task TruncatedTail_IsFoundAgainstTheExternalCheckpointFile()
    {
        await using var log = await StartLogAsync();
        await log.TamperAsync("DELETE FROM audit_events WHERE seq > 33; DELETE FROM audit_checkpoints WHERE tree_size > 30");

        var withoutFile = log.VerifyFile(withExternalFile: false);
        var withFile = log.VerifyFile();

        withoutFile.Valid.ShouldBeTrue("the database alone is self-consistent once its tail and checkpoints are gone");
        withFile.Valid.ShouldBeFalse();
        withFile.FirstInvalidSeq.ShouldBe(34);
        withFile.FirstBadCheckpointSize.ShouldBe(40);
        withFile.Reason!.ShouldContain("events 34 to 40 were removed");
    }

    [Fact]
    public async Task WholeLogRebuiltWithoutTheKey_IsFound()
    {
        await using var log = await StartLogAsync();
        await log.TamperAsync(RebuildWithForgedEventSql(log.DatabasePath, 14));

        // The rebuilt database has fresh, self-consistent leaves; its own checkpoints were re-signed with the attacker's key.
        using var attacker = CheckpointSigner.LoadOrCreate(Path.Combine(log.Directory, "attacker.pem"), log.Options.Origin);
        var leaves = AuditDatabaseFile.ReadEvents(log.DatabasePath).Select(e => e.LeafHash).ToList();
        var forgedNote = attacker.Sign(new Checkpoint(log.Options.Origin, leaves.Count, MerkleProofs.Root(leaves, leaves.Count), log.Time.GetUtcNow())).Note;
        await log.TamperAsync($"DELETE FROM audit_checkpoints; INSERT INTO audit_checkpoints (tree_size, root_hash, ts, note) VALUES ({leaves.Count}, X'00', 0, '{forgedNote}')");

        var dbOnly = log.VerifyFile(withExternalFile: false);
        var againstFile = new AuditVerifier(null).Verify(AuditDatabaseFile.ReadEvents(log.DatabasePath), CheckpointFile.ReadNotes(log.Options.CheckpointFile));

        dbOnly.Valid.ShouldBeFalse();
        dbOnly.Reason!.ShouldContain("not genuine");
        againstFile.Valid.ShouldBeFalse();
        againstFile.FirstBadCheckpointSize.ShouldBe(20);
        againstFile.Reason!.ShouldContain("events 11 to 20");
    }

    [Fact]
    public async Task ForgedCheckpointSignature_IsFound()
    {
        await using var log = await StartLogAsync();
        var note = CheckpointFile.ReadNotes(log.Options.CheckpointFile)[^1];
        var lines = note.Split('\n');
        var signature = lines[^2];
        var forged = note.Replace(signature, signature[..^6] + (signature[^6] == 'A' ? "B" : "A") + signature[^5..], StringComparison.Ordinal);
        await File.AppendAllTextAsync(log.Options.CheckpointFile, forged);

        var result = log.VerifyFile();

        result.Valid.ShouldBeFalse();
        result.FirstBadCheckpointSize.ShouldBe(40);
        result.Reason!.ShouldContain("not genuine");
    }

    [Fact]
    public async Task Export_VerifiesOffline_AndATamperedExportIsFound()
    {
        await using var log = await StartLogAsync();
        var export = Path.Combine(log.Directory, "audit.jsonl");
        await using (var file = File.Create(export))
        {
            await AuditExport.WriteJsonLinesAsync(file, await log.Reader.CheckpointNotesAsync(CancellationToken.None), log.Reader.StreamAsync(new AuditFilter(), null, null, CancellationToken.None), CancellationToken.None);
        }

        using var key = log.PublicKey();
        var (notes, events) = AuditExport.ReadJsonLines(export);
        var clean = new AuditVerifier(key).Verify(events, notes);
        var lines = await File.ReadAllLinesAsync(export);
        var target = Array.FindIndex(lines, l => l.StartsWith("{\"seq\":25,", StringComparison.Ordinal));
        lines[target] = lines[target].Replace("alice@example.com", "bob@example.com", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(export, lines);
        var (notes2, events2) = AuditExport.ReadJsonLines(export);
        var tampered = new AuditVerifier(key).Verify(events2, notes2);

        clean.Valid.ShouldBeTrue(clean.Reason);
        clean.Count.ShouldBe(Events);
        notes.Count.ShouldBeGreaterThan(0);
        tampered.Valid.ShouldBeFalse();
        tampered.FirstInvalidSeq.ShouldBe(25);
    }

    [Fact]
    public async Task Csv_QuotesFieldsPerRfc4180()
    {
        await using var log = await AuditLogFixture.StartAsync();
        await log.AppendAsync(note: "comma, \"quote\" and\nnewline");
        using var buffer = new MemoryStream();

        await AuditExport.WriteCsvAsync(buffer, log.Reader.StreamAsync(new AuditFilter(), null, null, CancellationToken.None), CancellationToken.None);

        var text = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        text.ShouldStartWith("seq,ts,type,actor,agent_id,run_id,data,leaf_hash\r\n1,");
        text.ShouldContain(",\"{\"\"note\"\":\"\"comma, \\\"\"quote\\\"\" and\\nnewline\"\"}\",");
        AuditExport.CsvField("=HYPERLINK(\"x\")").ShouldBe("\"'=HYPERLINK(\"\"x\"\")\"");
    }

    private static async Task<AuditLogFixture> StartLogAsync()
    {
        var log = await AuditLogFixture.StartAsync(checkpointEvery: 10);
        await log.AppendManyAsync(Events);
        await log.Writer.StopAsync();
        SqliteConnection.ClearAllPools();
        return log;
    }

    /// <summary>Changes one event and recomputes every leaf from it on, as an attacker who knows the format would.</summary>
    private static string RebuildWithForgedEventSql(string databasePath, long seq)
    {
        var events = AuditDatabaseFile.ReadEvents(databasePath).ToList();
        var sql = new System.Text.StringBuilder();
        foreach (var e in events.Where(e => e.Sequence >= seq))
        {
            var data = e.Sequence == seq ? "{\"note\":\"forged\"}" : e.Data;
            var leaf = AuditCanonicalForm.LeafHash(e.Sequence, StoreTime.ToMicroseconds(e.Timestamp), e.Type, e.Actor.ToString(), e.AgentId, e.RunId, data);
            sql.Append($"UPDATE audit_events SET data = '{data}', leaf_hash = X'{Convert.ToHexString(leaf)}' WHERE seq = {e.Sequence};");
        }

        return sql.ToString();
    }
}
