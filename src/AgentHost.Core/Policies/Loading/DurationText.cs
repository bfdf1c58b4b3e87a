using System.Globalization;

namespace AgentHost.Core.Policies.Loading;

/// <summary>Durations as policy authors write them: 90s, 30m, 4h, 2d.</summary>
public static class DurationText
{
    public static TimeSpan? Parse(string text)
    {
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return null;
        }

        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
    }
}
