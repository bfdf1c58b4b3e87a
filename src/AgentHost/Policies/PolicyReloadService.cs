using System.Text.Json.Nodes;
using AgentHost.Core.Audit;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;
using Microsoft.Extensions.Options;

namespace AgentHost.Policies;

/// <summary>
/// Loads the policy set at start-up (a set that does not load stops the host, naming file, line and
/// column) and reloads it when a file changes, keeping the last good set when the new one is broken.
/// Every attempt is audited: policy.loaded or policy.rejected. It reloads too when the tool catalog
/// changes (an MCP tool approved or disabled), since rules are compiled against the catalog's tools.
/// </summary>
public sealed partial class PolicyReloadService(
    PolicyProvider provider,
    PolicyHistory history,
    PolicyReplayer replayer,
    IAuditLog audit,
    IOptions<PoliciesOptions> options,
    ToolCatalog catalog,
    IEnumerable<ICatalogPreload> preloads,
    TimeProvider time,
    ILogger<PolicyReloadService> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _oneReloadAtATime = new(1, 1);
    private FileSystemWatcher? _watcher;
    private ITimer? _debounce;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Tools known only from the store or a server (MCP) join the catalog before rules are checked against it.
        foreach (var preload in preloads)
        {
            await preload.PreloadAsync(cancellationToken);
        }

        var result = await ReloadAsync(cancellationToken);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"The policy set in {provider.Directory} does not load; fix it and start again:{Environment.NewLine}"
                + string.Join(Environment.NewLine, result.Errors));
        }

        _debounce = time.CreateTimer(_ => _ = ReloadAsync(CancellationToken.None), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(provider.Directory) { IncludeSubdirectories = false, NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
        _watcher.Changed += OnChange;
        _watcher.Created += OnChange;
        _watcher.Deleted += OnChange;
        _watcher.Renamed += OnChange;
        _watcher.EnableRaisingEvents = true;
        catalog.Changed += OnCatalogChanged;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        catalog.Changed -= OnCatalogChanged;
        if (_watcher is not null)
        {
            _watcher.EnableRaisingEvents = false;
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
        _oneReloadAtATime.Dispose();
    }

    /// <summary>Reloads now; used by the watcher and by tests that cannot wait for file events.</summary>
    public async Task<PolicyLoadResult> ReloadAsync(CancellationToken cancellationToken)
    {
        await _oneReloadAtATime.WaitAsync(cancellationToken);
        try
        {
            return await LoadAuditAndActivateAsync(cancellationToken);
        }
        finally
        {
            _oneReloadAtATime.Release();
        }
    }

    private async Task<PolicyLoadResult> LoadAuditAndActivateAsync(CancellationToken cancellationToken)
    {
        var result = provider.Load();
        var at = time.GetUtcNow();
        if (result.PolicySet is { } set)
        {
            var replay = await ReplayAgainstCurrentAsync(set, cancellationToken);
            history.Add(new PolicyLoadRecord(at, true, set.Hash, set.Rules.Count, [], replay));
            LogLoaded(logger, set.Hash, set.Rules.Count, set.Files.Count);
            await audit.AppendAsync(new AuditEntry(AuditEventTypes.PolicyLoaded, AuditActor.System, Data: new()
            {
                ["policyHash"] = set.Hash,
                ["previousPolicyHash"] = provider.HasPolicy ? provider.Current.Hash : null,
                ["rules"] = set.Rules.Count,
                ["files"] = new JsonArray([.. set.Files.Select(f => JsonValue.Create(Path.GetFileName(f)))]),
                ["replay"] = replay?.ToJson(),
            }), cancellationToken);
            provider.Activate(set);
        }
        else
        {
            var errors = result.Errors.Select(e => e.ToString()).ToList();
            history.Add(new PolicyLoadRecord(at, false, null, 0, errors));
            LogRejected(logger, provider.HasPolicy ? provider.Current.Hash : "none", string.Join("; ", errors));
            await audit.AppendAsync(new AuditEntry(AuditEventTypes.PolicyRejected, AuditActor.System, Data: new()
            {
                ["keptPolicyHash"] = provider.HasPolicy ? provider.Current.Hash : null,
                ["errors"] = new JsonArray([.. errors.Take(50).Select(e => JsonValue.Create(e))]),
            }), cancellationToken);
        }

        return result;
    }

    /// <summary>
    /// Before a changed set takes over: what it would have decided differently over the recorded calls of
    /// the replay window, for the audit event, the log and the policies page. Information, not a veto: a
    /// replay that cannot read the store is logged and the set still loads (a file on disk is the decision).
    /// </summary>
    private async Task<ReplaySummary?> ReplayAgainstCurrentAsync(PolicySet candidate, CancellationToken cancellationToken)
    {
        if (!provider.HasPolicy || provider.Current.Hash == candidate.Hash)
        {
            return null;
        }

        try
        {
            var report = await replayer.ReplayAsync(provider.Current, candidate, replayer.DefaultWindow, cancellationToken);
            var summary = ReplaySummary.From(report);
            LogReplayed(logger, candidate.Hash, summary.Replayed, summary.Changed, string.Join(", ", summary.ByChange.Select(c => $"{c.Key} {c.Value}")));
            return summary;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            LogReplayFailed(logger, candidate.Hash, ex);
            return null;
        }
    }

    private void OnCatalogChanged(object? sender, EventArgs e) => _ = ReloadAsync(CancellationToken.None);

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        if (e.Name is { } name && Core.Policies.Loading.PolicyLoader.IsPolicyFile(name))
        {
            _debounce?.Change(options.Value.ReloadDelay, Timeout.InfiniteTimeSpan);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Policy set {PolicyHash} loaded: {Rules} rules from {Files} files")]
    private static partial void LogLoaded(ILogger logger, string policyHash, int rules, int files);

    [LoggerMessage(Level = LogLevel.Error, Message = "Policy change rejected, keeping {PolicyHash}: {Errors}")]
    private static partial void LogRejected(ILogger logger, string policyHash, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Policy set {PolicyHash} replayed over {Replayed} recorded calls: {Changed} would be decided differently ({ByChange})")]
    private static partial void LogReplayed(ILogger logger, string policyHash, int replayed, int changed, string byChange);

    [LoggerMessage(Level = LogLevel.Error, Message = "Policy set {PolicyHash} could not be replayed against the recorded calls; it loads without a replay")]
    private static partial void LogReplayFailed(ILogger logger, string policyHash, Exception exception);
}
