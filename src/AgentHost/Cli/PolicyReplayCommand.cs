using System.Globalization;
using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using AgentHost.Core.Gate;
using AgentHost.Core.Policies;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Policies.Replay;
using AgentHost.Core.Storage;
using AgentHost.Hosting;
using AgentHost.Tools;

namespace AgentHost.Cli;

/// <summary>
/// `policy replay`: the recorded calls of a period put to a candidate policy folder, compared with a
/// baseline folder (--baseline) or, without one, with the decisions the trail recorded. Reads a copied
/// SQLite store (--db) or a PostgreSQL one (--connection). Exit 0, or 1 with --fail-on-change when a
/// decision would change: a policy pull request can be checked against last week's real traffic.
/// </summary>
public static class PolicyReplayCommand
{
    private const int Listed = 50;

    public static async Task<int> RunAsync(CommandLineArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var window = args.Get("since") is { } sinceText
            ? DurationText.Parse(sinceText) ?? throw new CommandLineException($"--since must be a duration such as 7d, 24h or 90m, got '{sinceText}'")
            : TimeSpan.FromDays(7);
        var catalog = BuiltInPlugins.Catalog();
        var candidate = Load(args.Get("path") ?? "policies", catalog, error);
        var baseline = args.Get("baseline") is { } baselinePath ? Load(baselinePath, catalog, error) : null;
        var people = DirectoryFileLoader.Load(HostPaths.Resolve(Directory.GetCurrentDirectory(), args.Get("directory") ?? "src/AgentHost/directory.yaml"));
        foreach (var problem in people.Errors)
        {
            await error.WriteLineAsync(problem.ToString());
        }

        if (candidate is null || (args.Has("baseline") && baseline is null) || people.Directory is not { } facts)
        {
            return 1;
        }

        await using var database = Open(args);
        var since = TimeProvider.System.GetUtcNow() - window;
        var calls = await RecordedCallReader.ReadAsync(database.Store, since, RecordedCallReader.DefaultLimit, cancellationToken);
        var agents = (await new AgentStore(database.Store, TimeProvider.System).ListAsync(null, cancellationToken)).ToDictionary(a => a.Id, StringComparer.Ordinal);
        var report = PolicyReplay.Run(since, calls, agents.ToDictionary(a => a.Key, a => ToolGate.ContextOf(a.Value), StringComparer.Ordinal), baseline, candidate, facts, catalog, Listed);
        Write(report, agents, output);
        return report.ChangedCount > 0 && args.Has("fail-on-change") ? 1 : 0;
    }

    private static PolicySet? Load(string path, Core.Tools.ToolCatalog catalog, TextWriter error)
    {
        var directory = HostPaths.Resolve(Directory.GetCurrentDirectory(), path);
        var result = PolicyLoader.LoadDirectory(directory, catalog);
        foreach (var problem in result.Errors)
        {
            error.WriteLine(problem);
        }

        return result.PolicySet;
    }

    private static OpenedStore Open(CommandLineArguments args)
    {
        var file = args.Get("db");
        var connection = args.Get("connection");
        if ((file is null) == (connection is null))
        {
            throw new CommandLineException("give exactly one of --db FILE (a SQLite store) or --connection \"Host=...\" (PostgreSQL)");
        }

        if (file is not null && !File.Exists(file))
        {
            throw new CommandLineException($"--db: no file '{file}'");
        }

        return file is not null
            ? new OpenedStore(new SqliteDatabase($"Data Source={file}"))
            : new OpenedStore(new PostgresDatabase(connection!));
    }

    private static void Write(PolicyReplayReport report, Dictionary<string, Agent> agents, TextWriter output)
    {
        var inv = CultureInfo.InvariantCulture;
        string Name(string id) => agents.TryGetValue(id, out var agent) ? $"{id} ({agent.Definition.Name})" : id;
        output.WriteLine(string.Create(inv, $"replayed {report.Replayed} calls since {report.Since:O} ({report.NotReplayed} not replayable) in {report.Elapsed.TotalMilliseconds:F0} ms"));
        output.WriteLine($"baseline {report.BaselineHash}, candidate {report.CandidateHash}: {report.ChangedCount} would be decided differently");
        foreach (var (change, count) in report.ByChange.OrderBy(c => c.Key))
        {
            output.WriteLine(string.Create(inv, $"  {change.ToText()}: {count}"));
        }

        if (report.Groups.Count > 0)
        {
            output.WriteLine("by change, rule and agent:");
            foreach (var group in report.Groups)
            {
                output.WriteLine(string.Create(inv, $"  {group.Change.ToText()}  {group.Rule}  {Name(group.AgentId)}  {group.Calls} calls  e.g. {string.Join(", ", group.ExampleCallIds)}"));
            }

            output.WriteLine("first changed calls:");
            foreach (var call in report.Changed)
            {
                output.WriteLine(string.Create(inv, $"  seq {call.Call.Seq}  {call.Call.At:O}  {call.Call.RunId}/{call.Call.CallId}  {call.Call.Function}  {PolicyText.Outcome(call.Before.Outcome)} -> {PolicyText.Outcome(call.After.Outcome)}  ({string.Join(", ", call.DecidingRules)})"));
            }
        }
    }

    /// <summary>PostgresDatabase owns a data source to dispose; SQLite's pool needs nothing.</summary>
    private sealed record OpenedStore(StoreDatabase Store) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Store is IAsyncDisposable disposable ? disposable.DisposeAsync() : ValueTask.CompletedTask;
    }
}
