namespace AgentHost.Web.Pages.Usage;

/// <summary>One bar chart of the usage page: its own scale from 0 to the largest value, labelled with its unit.</summary>
public sealed record UsageChart(string Id, string Title, string Unit, string Colour, IReadOnlyList<(string Label, long Value, string Text)> Bars)
{
    public const int BarWidth = 240;
    public const int RowHeight = 30;

    public long Max => Math.Max(1, Bars.Select(b => b.Value).DefaultIfEmpty(0).Max());

    public int Height => (Bars.Count * RowHeight) + 40;

    public int WidthOf(long value) => (int)(BarWidth * (double)value / Max);
}
