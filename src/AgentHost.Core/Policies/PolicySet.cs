using System.Collections.Frozen;
using AgentHost.Core.Tools;

namespace AgentHost.Core.Policies;

/// <summary>
/// A compiled, immutable policy set. Deny by default; every matching rule counts, and deny beats
/// require_approval beats allow. Safe to share across threads; replaced whole on reload.
/// </summary>
public sealed class PolicySet
{
    private readonly FrozenDictionary<string, FunctionRules> _byFunction;
    private readonly ToolCatalog _catalog;
    private readonly PolicyDecision _defaultDeny;
    private readonly PolicyDecision _unknownFunction;
    private readonly PolicyDecision _notGranted;

    internal PolicySet(string hash, ToolCatalog catalog, IReadOnlyList<PolicyRuleInfo> rules, IReadOnlyList<string> files, FrozenDictionary<string, FunctionRules> byFunction)
    {
        Hash = hash;
        Rules = rules;
        Files = files;
        _catalog = catalog;
        _byFunction = byFunction;
        _defaultDeny = BuiltIn(BuiltInRules.DefaultDeny, "denied: no rule allows this call (deny by default)");
        _unknownFunction = BuiltIn(BuiltInRules.UnknownFunction, "denied: the function is not in the tool catalog");
        _notGranted = BuiltIn(BuiltInRules.ToolNotGranted, "denied: the agent was not granted this tool");
    }

    /// <summary>SHA-256 over the files' names and contents; recorded with every decision.</summary>
    public string Hash { get; }

    public IReadOnlyList<PolicyRuleInfo> Rules { get; }

    public IReadOnlyList<string> Files { get; }

    public PolicyDecision Evaluate(PolicyRequest request, IEmployeeFacts facts)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(facts);
        if (!_catalog.TryGet(request.Function, out var tool))
        {
            return _unknownFunction;
        }

        if (!request.Agent.Tools.Contains(request.Function))
        {
            return _notGranted;
        }

        // Whoever asks (the gate, a what-if preview, a policy test) gets the same reading of a value; the
        // gate's arguments are already canonical, and then this is a check that allocates nothing.
        var arguments = Gate.ArgumentNormalizer.Normalize(tool, request.Arguments);
        if (!ReferenceEquals(arguments, request.Arguments))
        {
            request = request with { Arguments = arguments };
        }

        // Granted scope values are read the same way, by the kinds the catalog's plugins declare.
        var agent = request.Agent.Normalized(_catalog);
        if (!ReferenceEquals(agent, request.Agent))
        {
            request = request with { Agent = agent };
        }

        var matched = default(MatchedRules);
        var rules = _byFunction[request.Function];
        foreach (var rule in rules.Unindexed)
        {
            if (rule.Matches(request, tool, facts))
            {
                matched.Add(rule);
            }
        }

        foreach (var index in rules.Indexes)
        {
            if (request.Arguments.TryGetValue(index.Argument, out var value) && value.Count > 0
                && index.RulesByValue.TryGetValue(value[0], out var candidates))
            {
                foreach (var rule in candidates)
                {
                    if (rule.Matches(request, tool, facts))
                    {
                        matched.Add(rule);
                    }
                }
            }
        }

        return matched.Decide(_defaultDeny, Hash);
    }

    private PolicyDecision BuiltIn(string id, string explanation) => new(PolicyOutcome.Deny, [id], [], Hash, explanation);

    /// <summary>Collects the rules of the winning outcome without allocating while only one has matched.</summary>
    private struct MatchedRules
    {
        private CompiledRule? _first;
        private List<CompiledRule>? _more;

        public void Add(CompiledRule rule)
        {
            if (_first is null || rule.Outcome > _first.Outcome)
            {
                _first = rule;
                _more?.Clear();
            }
            else if (rule.Outcome == _first.Outcome)
            {
                (_more ??= []).Add(rule);
            }
        }

        public readonly PolicyDecision Decide(PolicyDecision none, string hash)
        {
            if (_first is null)
            {
                return none;
            }

            if (_more is null || _more.Count == 0)
            {
                return _first.Decision;
            }

            var rules = _more.Prepend(_first).OrderBy(r => r.Ordinal).ToList();
            var approvals = _first.Outcome == PolicyOutcome.RequireApproval ? Merge(rules) : [];
            var explanation = string.Join("; ", rules.Select(r => r.Decision.Explanation));
            if (approvals.Count > 0)
            {
                explanation += "; " + ApprovalText.Needed(approvals);
            }

            return new PolicyDecision(_first.Outcome, rules.Select(r => r.Id).ToArray(), approvals, hash, explanation);
        }

        /// <summary>
        /// One requirement per group, in rule order: the most approvals any matching rule asks of that group
        /// and the shortest timeout of all (one approval, one deadline; the strictest rule sets it).
        /// </summary>
        private static List<ApprovalRequirement> Merge(List<CompiledRule> rules)
        {
            var merged = new List<ApprovalRequirement>();
            var timeout = rules.Min(r => r.Approval!.Timeout);
            foreach (var approval in rules.Select(r => r.Approval!))
            {
                var at = merged.FindIndex(m => string.Equals(m.Group, approval.Group, StringComparison.Ordinal));
                if (at < 0)
                {
                    merged.Add(approval with { Timeout = timeout });
                }
                else
                {
                    // The first rule that names a fallback group for this group sets it.
                    merged[at] = merged[at] with { Count = Math.Max(approval.Count, merged[at].Count), EscalateTo = merged[at].EscalateTo ?? approval.EscalateTo };
                }
            }

            return merged;
        }
    }
}
