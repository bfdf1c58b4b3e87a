using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Storage;
using Microsoft.Extensions.Options;

namespace AgentHost.Audit;

/// <summary>
/// Verifies the whole trail against every checkpoint the host knows (the store's and the file outside
/// it). One class, so the API's verify and the audit page's button can never disagree.
/// </summary>
public sealed class AuditVerification(AuditReader reader, CheckpointSigner signer, IOptions<AuditOptions> options, StoreDatabase database, AuditContentStore content)
{
    public async Task<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken)
    {
        var notes = (await reader.CheckpointNotesAsync(cancellationToken)).ToList();
        if (File.Exists(options.Value.CheckpointFile))
        {
            notes.AddRange(CheckpointFile.ReadNotes(options.Value.CheckpointFile));
        }

        using var key = CheckpointVerifier.FromPublicKeyPem(signer.PublicKeyPem);

        // SQLite is verified from its file, as an offline verifier would; PostgreSQL from a full read.
        var events = database is SqliteDatabase sqlite
            ? AuditDatabaseFile.ReadEvents(sqlite.FilePath)
            : await reader.StreamAsync(new AuditFilter(), null, null, cancellationToken).ToListAsync(cancellationToken);
        var ledger = new ContentLedger();
        var result = await Task.Run(() => new AuditVerifier(key).Verify(events, notes, ledger), cancellationToken);
        var rows = database is SqliteDatabase file
            ? AuditDatabaseFile.ReadContent(file.FilePath)
            : await content.ReadAllAsync(cancellationToken).ToListAsync(cancellationToken);
        return result.WithContent(await Task.Run(() => ContentVerifier.Verify(ledger, rows), cancellationToken));
    }
}
