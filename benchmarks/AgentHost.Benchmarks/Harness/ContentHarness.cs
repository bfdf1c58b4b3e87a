using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Audit.Content;
using AgentHost.Core.Redaction;
using AgentHost.Runs.Conversation;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Benchmarks.Harness;

/// <summary>
/// The conversation in the trail at volume: synthetic runs written as the run loop writes them
/// (model.called naming every message sent and the reply, action.executed naming the full result,
/// run.succeeded the output, content in the event's transaction), then content bytes per run and
/// verification with and without the content.
/// </summary>
/// <remarks>
/// The runs: 10 agents with a 1.5 KB system prompt each; an input of 100-1,500 characters; 1-6 turns; 1-3
/// tool calls per non-final turn whose results are log-normal around 2 KB (capped at 200 KB); a final answer
/// of 200-2,000 characters. Text is drawn from a 2,000-word vocabulary, which compresses about as English does.
/// </remarks>
public static class ContentHarness
{
    public static async Task RunAsync(TextWriter output, int runs, string workDirectory)
    {
        var directory = Path.Combine(workDirectory, $"content-{Guid.NewGuid():N}");
        await using var log = await HarnessLog.StartAsync(directory);
        var conversation = new ConversationContent(SecretRedactor.None, Options.Create(log.Options));
        var stored = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var perRun = new ConcurrentBag<(long Stored, long Text, long Named)>();
        var fill = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < runs; i = Interlocked.Increment(ref next))
            {
                perRun.Add(await WriteRunAsync(log.Writer, conversation, stored, i));
            }
        })));
        await log.Writer.StopAsync();
        var fillSeconds = fill.Elapsed.TotalSeconds;

        var storedBytes = perRun.Select(r => r.Stored).Order().ToArray();
        var textBytes = perRun.Select(r => r.Text).Order().ToArray();
        output.WriteLine($"wrote {runs} runs ({perRun.Sum(r => r.Named) / (double)runs:F1} content references per run) through the writer in {fillSeconds:F1} s");
        output.WriteLine("| per run | median | p99 | mean |");
        output.WriteLine("|---|---|---|---|");
        output.WriteLine($"| new content, as stored (Brotli) | {Kb(Percentile(storedBytes, 0.5))} | {Kb(Percentile(storedBytes, 0.99))} | {Kb((long)storedBytes.Average())} |");
        output.WriteLine($"| new content, as text | {Kb(Percentile(textBytes, 0.5))} | {Kb(Percentile(textBytes, 0.99))} | {Kb((long)textBytes.Average())} |");
        output.WriteLine($"database file: {new FileInfo(log.Database.FilePath).Length / 1024.0 / 1024.0:F1} MiB (WAL checkpointed on close)");

        using var key = CheckpointVerifier.FromPublicKeyPem(log.Signer.PublicKeyPem);
        var notes = AuditDatabaseFile.ReadCheckpointNotes(log.Database.FilePath).Concat(CheckpointFile.ReadNotes(log.Options.CheckpointFile)).ToList();
        var verifier = new AuditVerifier(key);
        verifier.Verify(AuditDatabaseFile.ReadEvents(log.Database.FilePath).Take(10_000), []);

        var watch = Stopwatch.StartNew();
        var eventsOnly = verifier.Verify(AuditDatabaseFile.ReadEvents(log.Database.FilePath), notes);
        var eventsSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var ledger = new ContentLedger();
        var withContent = verifier.Verify(AuditDatabaseFile.ReadEvents(log.Database.FilePath), notes, ledger);
        var ledgerSeconds = watch.Elapsed.TotalSeconds;
        var rows = AuditDatabaseFile.ReadContent(log.Database.FilePath);
        var content = ContentVerifier.Verify(ledger, rows);
        var totalSeconds = watch.Elapsed.TotalSeconds;
        withContent = withContent.WithContent(content);
        var contentText = textBytes.Sum();

        output.WriteLine();
        output.WriteLine("| verify from the SQLite file, one core | events | content pieces | valid | seconds | events/s | content MiB/s (text) |");
        output.WriteLine("|---|---|---|---|---|---|---|");
        output.WriteLine($"| events and checkpoints only | {eventsOnly.Count} | - | {eventsOnly.Valid} | {eventsSeconds:F2} | {eventsOnly.Count / eventsSeconds:F0} | - |");
        output.WriteLine($"| with content: the events pass gathering references | {withContent.Count} | - | - | {ledgerSeconds:F2} | {withContent.Count / ledgerSeconds:F0} | - |");
        output.WriteLine($"| with content: whole (events, then every body inflated and rehashed) | {withContent.Count} | {content.Checked} | {withContent.Valid} | {totalSeconds:F2} | {withContent.Count / totalSeconds:F0} | {contentText / 1024.0 / 1024.0 / (totalSeconds - ledgerSeconds):F0} |");
    }

    private static async Task<(long Stored, long Text, long Named)> WriteRunAsync(AuditLogWriter writer, ConversationContent conversation, ConcurrentDictionary<string, bool> stored, int index)
    {
        var random = new Random(index);
        var (agentId, runId) = ($"agent-{index % 10}", $"run-{index}");
        var history = new ChatHistory();
        history.AddSystemMessage(Words(new Random(index % 10), 220));
        history.AddUserMessage(Words(random, random.Next(15, 220)));
        long storedBytes = 0, textBytes = 0, named = 0;
        var turns = random.Next(1, 7);
        for (var turn = 1; turn <= turns; turn++)
        {
            var final = turn == turns;
            var reply = new ChatMessageContent(AuthorRole.Assistant, final ? Words(random, random.Next(30, 300)) : null);
            List<FunctionCallContent> calls = final ? [] : Enumerable.Range(0, random.Next(1, 4)).Select(c => new FunctionCallContent("read_channel", "slack", $"call_{turn}_{c}", new KernelArguments { ["channel"] = $"C0{random.Next(1000)}" })).ToList();
            foreach (var call in calls)
            {
                reply.Items.Add(call);
            }

            var content = conversation.Turn(history, reply);
            history.Add(reply);
            var fresh = content.Pieces.Where(p => stored.TryAdd(p.Sha256, true)).ToList();
            (storedBytes, textBytes, named) = (storedBytes + fresh.Sum(p => (long)p.Body.Length), textBytes + fresh.Sum(p => p.Bytes), named + content.Sent.Count + 1);
            await writer.AppendAsync(
                [new AuditEntry(AuditEventTypes.ModelCalled, AuditActor.Agent(agentId), agentId, runId, new() { ["turn"] = turn, ["sent"] = content.Sent, ["reply"] = content.Reply })],
                AuditContentStore.Write(fresh, DateTimeOffset.UnixEpoch),
                CancellationToken.None);
            foreach (var call in calls)
            {
                var text = Words(random, (int)Math.Min(30_000, Math.Exp(5.7 + random.NextDouble() * 2 - 1 + Gaussian(random))));
                var result = conversation.ToolResult(text);
                if (stored.TryAdd(result.Sha256, true))
                {
                    (storedBytes, textBytes) = (storedBytes + result.Body.Length, textBytes + result.Bytes);
                }

                named++;
                await writer.AppendAsync(
                    [new AuditEntry(AuditEventTypes.ActionExecuted, AuditActor.Agent(agentId), agentId, runId, new() { ["callId"] = call.Id, ["resultContent"] = result.Reference() })],
                    AuditContentStore.Write([result], DateTimeOffset.UnixEpoch),
                    CancellationToken.None);
                history.Add(new FunctionResultContent(call, text).ToChatMessage());
            }

            if (final)
            {
                var outcome = conversation.Output(reply.Content ?? "");
                if (stored.TryAdd(outcome.Sha256, true))
                {
                    (storedBytes, textBytes) = (storedBytes + outcome.Body.Length, textBytes + outcome.Bytes);
                }

                named++;
                await writer.AppendAsync(
                    [new AuditEntry(AuditEventTypes.RunSucceeded, AuditActor.Agent(agentId), agentId, runId, new() { ["output"] = outcome.Reference() })],
                    AuditContentStore.Write([outcome], DateTimeOffset.UnixEpoch),
                    CancellationToken.None);
            }
        }

        return (storedBytes, textBytes, named);
    }

    private static readonly string[] Vocabulary = [.. Enumerable.Range(0, 2000).Select(i =>
    {
        var random = new Random(i + 7919);
        return new string([.. Enumerable.Range(0, random.Next(2, 10)).Select(_ => (char)('a' + random.Next(26)))]);
    })];

    private static string Words(Random random, int count)
    {
        var text = new StringBuilder(count * 7);
        for (var i = 0; i < count; i++)
        {
            // Zipf-like: frequent words recur as in prose.
            text.Append(Vocabulary[(int)(Vocabulary.Length * Math.Pow(random.NextDouble(), 3))]).Append(i % 17 == 16 ? ".\n" : " ");
        }

        return text.ToString();
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static long Percentile(long[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    private static string Kb(long bytes) => $"{bytes / 1024.0:F1} KiB";
}
