using System.Security.Cryptography;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Audit.Merkle;
using Microsoft.Data.Sqlite;

namespace AgentHost.Cli;

/// <summary>
/// `audit verify`, `audit prove` and `audit public-key`, offline on a copied database file or an export.
/// Exit code 0 means verified, 1 means tampering or a failed proof, 2 means a usage mistake.
/// </summary>
public static class AuditCommands
{
    public static Task<int> VerifyAsync(CommandLineArguments args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        var database = args.Get("db");
        var export = args.Get("export");
        if ((database is null) == (export is null))
        {
            throw new CommandLineException("give exactly one of --db FILE or --export FILE.jsonl");
        }

        using var key = LoadPublicKey(args);
        AuditVerificationResult result;
        try
        {
            result = Verify(database, export, args.Get("checkpoints"), key);
        }
        catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or InvalidOperationException or KeyNotFoundException or SqliteException or IOException)
        {
            // A corrupted or truncated copy is evidence too: the reviewer gets a verdict and exit 1, not a stack trace.
            output.WriteLine($"INVALID: {(ex is FormatException ? ex.Message : $"the file cannot be read as an audit log: {ex.Message}")}");
            return Task.FromResult(1);
        }

        if (result.Valid)
        {
            output.WriteLine($"VALID: {result.Count} events; latest verified checkpoint: {(result.LatestVerifiedCheckpoint is { } c ? $"size {c.TreeSize} at {c.Timestamp:O}" : "none")}");
        }
        else
        {
            output.WriteLine($"INVALID: {result.Reason}");
            output.WriteLine($"first invalid seq: {result.FirstInvalidSeq?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}; first bad checkpoint size: {result.FirstBadCheckpointSize?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}");
        }

        output.WriteLine(result.Content is { } content
            ? $"content: {content.Checked} pieces rehashed; {content.RemovedUnderRetention} removed under retention"
            : "content: not checked (an export carries no content; verify the database file for it)");
        if (!result.SignaturesChecked)
        {
            output.WriteLine("warning: checkpoint signatures were not checked; pass --public-key FILE.pem");
        }

        return Task.FromResult(result.Valid ? 0 : 1);
    }

    public static Task<int> ProveAsync(CommandLineArguments args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        cancellationToken.ThrowIfCancellationRequested();
        var database = args.Require("db");
        RequireFile(database, "--db");
        var size = args.GetInt64("size") ?? throw new CommandLineException("--size is required");
        var leaves = AuditDatabaseFile.ReadEvents(database).Take((int)Math.Min(size, int.MaxValue)).Select(e => e.LeafHash).ToList();
        if (leaves.Count < size)
        {
            throw new CommandLineException($"the log has {leaves.Count} events, fewer than --size {size}");
        }

        var root = MerkleProofs.Root(leaves, size);
        if (args.GetInt64("seq") is { } seq)
        {
            if (seq < 1 || seq > size)
            {
                throw new CommandLineException($"--seq must be from 1 to {size}");
            }

            var path = MerkleProofs.InclusionProof(leaves, seq - 1, size);
            var ok = MerkleProofs.VerifyInclusion(leaves[(int)(seq - 1)], seq - 1, size, path, root);
            output.WriteLine($"inclusion of event {seq} in tree size {size}: {(ok ? "verified" : "FAILED")}");
            output.WriteLine($"leaf {Convert.ToHexStringLower(leaves[(int)(seq - 1)])}");
            foreach (var hash in path)
            {
                output.WriteLine($"path {Convert.ToHexStringLower(hash)}");
            }

            output.WriteLine($"root {Convert.ToHexStringLower(root)}");
            return Task.FromResult(ok ? 0 : 1);
        }

        var from = args.GetInt64("from") ?? throw new CommandLineException("give --seq N (inclusion) or --from N (consistency)");
        if (from > size)
        {
            throw new CommandLineException("--from must not exceed --size");
        }

        var proof = MerkleProofs.ConsistencyProof(leaves, from, size);
        var fromRoot = MerkleProofs.Root(leaves, from);
        var consistent = MerkleProofs.VerifyConsistency(from, size, fromRoot, root, proof);
        output.WriteLine($"consistency of tree size {from} with tree size {size}: {(consistent ? "verified" : "FAILED")}");
        output.WriteLine($"from-root {Convert.ToHexStringLower(fromRoot)}");
        foreach (var hash in proof)
        {
            output.WriteLine($"path {Convert.ToHexStringLower(hash)}");
        }

        output.WriteLine($"to-root {Convert.ToHexStringLower(root)}");
        return Task.FromResult(consistent ? 0 : 1);
    }

    public static int PublicKey(CommandLineArguments args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var keyPath = args.Get("key") ?? Path.Combine("data", "audit-signing-key.pem");
        RequireFile(keyPath, "--key");
        using var key = ECDsa.Create();
        key.ImportFromPem(File.ReadAllText(keyPath));
        output.Write(PemEncoding.WriteString("PUBLIC KEY", key.ExportSubjectPublicKeyInfo()));
        output.WriteLine();
        return 0;
    }

    private static AuditVerificationResult Verify(string? database, string? export, string? checkpointFile, CheckpointVerifier? key)
    {
        var notes = new List<string>();
        IEnumerable<AuditEvent> events;
        if (database is not null)
        {
            RequireFile(database, "--db");
            notes.AddRange(AuditDatabaseFile.ReadCheckpointNotes(database));
            events = AuditDatabaseFile.ReadEvents(database);
        }
        else
        {
            RequireFile(export!, "--export");
            var (exportNotes, exportEvents) = AuditExport.ReadJsonLines(export!);
            notes.AddRange(exportNotes);
            events = exportEvents;
        }

        if (checkpointFile is not null)
        {
            RequireFile(checkpointFile, "--checkpoints");
            notes.AddRange(CheckpointFile.ReadNotes(checkpointFile));
        }

        if (database is null)
        {
            return new AuditVerifier(key).Verify(events, notes);
        }

        var ledger = new ContentLedger();
        var result = new AuditVerifier(key).Verify(events, notes, ledger);
        return result.WithContent(ContentVerifier.Verify(ledger, AuditDatabaseFile.ReadContent(database)));
    }

    private static CheckpointVerifier? LoadPublicKey(CommandLineArguments args)
    {
        if (args.Get("public-key") is not { } path)
        {
            return null;
        }

        RequireFile(path, "--public-key");
        try
        {
            return CheckpointVerifier.FromPublicKeyPem(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new CommandLineException($"--public-key {path} is not a PEM public key: {ex.Message}");
        }
    }

    private static void RequireFile(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new CommandLineException($"{option} {path}: no such file");
        }
    }
}
