namespace AgentHost.Core.Approvals;

/// <summary>
/// What an approval's approve votes add up to, per group. A person's vote counts towards one group only:
/// when two groups must agree, a demanding reviewer expects two different people, so one member of both
/// cannot satisfy both. Votes are assigned to groups by a maximum bipartite matching (people to the open
/// places of the groups they belong to), so the order of the votes never costs an approval: if carol (in
/// both groups) voted first and sam (security only) second, carol moves to the other group.
/// The owner, requester and starter never count, even if a vote of theirs were in the store.
/// </summary>
public sealed record ApprovalTally(IReadOnlyList<GroupProgress> Groups, IReadOnlyDictionary<string, string> CountedFor)
{
    public bool Satisfied => Groups.All(g => g.Remaining == 0);

    /// <summary>"needs 1 more of security (0 of 1), 1 more of deploy-approvers (1 of 2)".</summary>
    public string Needs => Satisfied
        ? "every group has approved"
        : "needs " + string.Join(", ", Groups.Where(g => g.Remaining > 0));

    public static ApprovalTally Count(Approval approval, Func<string, string, bool> isInGroup, string? withApproveVoteOf = null)
    {
        ArgumentNullException.ThrowIfNull(approval);
        ArgumentNullException.ThrowIfNull(isInGroup);
        var groups = approval.RequiredGroups;
        var excluded = approval.Excluded;
        var voters = approval.Votes.Where(v => v.Decision == "approve").Select(v => v.Approver)
            .Append(withApproveVoteOf)
            .OfType<string>()
            .Select(ApproverIdentity.Canonical)
            .Where(v => v.Length > 0 && !excluded.Contains(v))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        // One place per approval a group needs; places[i] is the group index, holder[i] the voter in it.
        var places = groups.SelectMany((g, index) => Enumerable.Repeat(index, Math.Max(0, g.Count))).ToArray();
        var holder = Enumerable.Repeat(-1, places.Length).ToArray();
        var eligible = voters.Select(v => groups.Select(g => isInGroup(v, g.Group)).ToArray()).ToArray();
        for (var voter = 0; voter < voters.Count; voter++)
        {
            Augment(voter, new bool[places.Length]);
        }

        var counted = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var place = 0; place < places.Length; place++)
        {
            if (holder[place] >= 0)
            {
                counted[voters[holder[place]]] = groups[places[place]].Group;
            }
        }

        var progress = groups.Select((g, index) => new GroupProgress(g.Group, g.Count, Enumerable.Range(0, places.Length).Count(p => places[p] == index && holder[p] >= 0))).ToList();
        return new ApprovalTally(progress, counted);

        // Kuhn's augmenting path: a handful of people and places, so the simple algorithm is plenty.
        bool Augment(int voter, bool[] seen)
        {
            for (var place = 0; place < places.Length; place++)
            {
                if (seen[place] || !eligible[voter][places[place]])
                {
                    continue;
                }

                seen[place] = true;
                if (holder[place] < 0 || Augment(holder[place], seen))
                {
                    holder[place] = voter;
                    return true;
                }
            }

            return false;
        }
    }
}
