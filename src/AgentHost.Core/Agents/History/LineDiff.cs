namespace AgentHost.Core.Agents.History;

/// <summary>
/// The lines removed from and added to a text, by longest common subsequence after the common head and
/// tail are set aside (an edit usually touches a few lines of long instructions). Past
/// <see cref="MaxCells"/> comparisons the changed middle is reported as replaced whole: the diff stays
/// correct, only less minimal, and a save never costs more than a bounded amount of work.
/// </summary>
internal static class LineDiff
{
    internal const int MaxCells = 2_000_000;

    public static IReadOnlyList<DiffLine> Between(string? before, string? after)
    {
        var old = Lines(before);
        var @new = Lines(after);
        var head = 0;
        while (head < old.Length && head < @new.Length && old[head] == @new[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < old.Length - head && tail < @new.Length - head && old[^(tail + 1)] == @new[^(tail + 1)])
        {
            tail++;
        }

        var (n, m) = (old.Length - head - tail, @new.Length - head - tail);
        var result = new List<DiffLine>();
        if ((long)n * m > MaxCells)
        {
            result.AddRange(Enumerable.Range(head, n).Select(i => new DiffLine(DiffLine.RemovedKind, i + 1, old[i])));
            result.AddRange(Enumerable.Range(head, m).Select(j => new DiffLine(DiffLine.AddedKind, j + 1, @new[j])));
            return result;
        }

        // Lines compared as small numbers, in one flat table: common[i * (m + 1) + j] is the longest common
        // subsequence of the middle's old[i..] and new[j..].
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var a = new int[n];
        var b = new int[m];
        for (var i = 0; i < n; i++)
        {
            a[i] = Id(ids, old[head + i]);
        }

        for (var j = 0; j < m; j++)
        {
            b[j] = Id(ids, @new[head + j]);
        }

        var width = m + 1;
        var common = new int[(n + 1) * width];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                common[(i * width) + j] = a[i] == b[j] ? common[((i + 1) * width) + j + 1] + 1 : Math.Max(common[((i + 1) * width) + j], common[(i * width) + j + 1]);
            }
        }

        var (x, y) = (0, 0);
        while (x < n || y < m)
        {
            if (x < n && y < m && a[x] == b[y])
            {
                (x, y) = (x + 1, y + 1);
            }
            else if (y < m && (x == n || common[(x * width) + y + 1] >= common[((x + 1) * width) + y]))
            {
                result.Add(new DiffLine(DiffLine.AddedKind, head + y + 1, @new[head + y]));
                y++;
            }
            else
            {
                result.Add(new DiffLine(DiffLine.RemovedKind, head + x + 1, old[head + x]));
                x++;
            }
        }

        return result;
    }

    private static int Id(Dictionary<string, int> ids, string line)
    {
        if (!ids.TryGetValue(line, out var id))
        {
            id = ids.Count;
            ids[line] = id;
        }

        return id;
    }

    // CRLF and LF spell the same line break: a form post and an API client must not differ by every line.
    private static string[] Lines(string? text) =>
        string.IsNullOrEmpty(text) ? [] : text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
}
