using AgentHost.Agents.Authority;
using AgentHost.Core.Agents;
using AgentHost.Core.Approvals;
using AgentHost.Core.Runs;
using AgentHost.Telemetry;

namespace AgentHost.Runs;

/// <summary>
/// Picks a parked run up again once its approval settled: claims the resume (once, whoever asks twice),
/// rebuilds the run's state from the store, settles the approved call (<see cref="ApprovalSettlement"/>)
/// and hands the run back to the <see cref="TurnLoop"/>. <see cref="ApprovalParking"/> is the other half.
/// </summary>
public sealed class ApprovalResumption(RunStore runs, ApprovalStore approvals, AgentKernelFactory kernels, TurnLoop turns, RunEndings endings, ScopeEntitlementCheck entitlements)
{
    /// <summary>The run and its settled approval; null when there is nothing to resume or another job resumed it first.</summary>
    public async Task<(Run Run, Approval Approval)?> ClaimAsync(string approvalId, CancellationToken cancellationToken)
    {
        var approval = await approvals.GetAsync(approvalId, cancellationToken);
        if (approval is null || !await approvals.ClaimResumeAsync(approvalId, runs.ResumeWrite(approval.RunId), cancellationToken))
        {
            return null;
        }

        return ((await runs.GetAsync(approval.RunId, cancellationToken))!, approval);
    }

    public async Task ContinueAsync(Run run, Agent agent, AgentBudgets budgets, Approval approval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(budgets);

        // A run can wait hours for people; an owner who lost the channel or the repository meanwhile lends
        // the approved call no authority: it ends cancelled, like every open call of a stopped run.
        if (await entitlements.RefusalAsync(agent, run.Id, cancellationToken) is { } outsideAuthority)
        {
            await endings.EndAsync(run, RunStatus.Stopped, null, outsideAuthority, cancellationToken);
            return;
        }

        var history = ChatHistoryJson.Deserialize(await runs.HistoryAsync(run.Id, cancellationToken) ?? "[]") ?? [];
        var decided = await runs.DecidedCallCountAsync(run.Id, cancellationToken);
        var state = new RunState(run, agent, budgets, kernels.Create(agent, run.Id), history, run.Turns, run.InputTokens, run.OutputTokens, decided);
        using (AgentHostTelemetry.StartTurn(run.Id, state.Turn))
        {
            if (await turns.HandleCallsAsync(state, approval, cancellationToken) != RunProgress.Continues)
            {
                return;
            }
        }

        await turns.RunAsync(state, cancellationToken);
    }
}
