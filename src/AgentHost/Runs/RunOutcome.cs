using System.Globalization;
using AgentHost.Core.Runs;
using AgentHost.Core.Storage;

namespace AgentHost.Runs;

/// <summary>
/// A run's status with what came of its actions, in words, for the API and every page: a run the model
/// finished whose deploy was rejected is "succeeded; 1 of 1 action not executed (1 rejected)", never a
/// plain "succeeded" beside the model's claim that it deployed.
/// </summary>
public static class RunOutcome
{
    public static string Text(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var status = run.Status.ToText();
        var actions = run.Actions;
        if (actions.NotExecuted == 0)
        {
            return status;
        }

        var noun = actions.Total == 1 ? "action" : "actions";
        return string.Create(CultureInfo.InvariantCulture, $"{status}; {actions.NotExecuted} of {actions.Total} {noun} not executed ({actions.NotExecutedText})");
    }

    /// <summary>True when the status alone tells the whole story: nothing the run proposed failed to happen.</summary>
    public static bool Plain(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.Actions.NotExecuted == 0;
    }
}
