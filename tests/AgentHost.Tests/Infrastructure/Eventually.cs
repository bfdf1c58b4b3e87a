using System.Diagnostics;
using System.Globalization;

namespace AgentHost.Tests.Infrastructure;

/// <summary>
/// The one way a test waits for what another thread or process does: observe, check, look again soon,
/// and on time-out throw saying what was awaited and what was seen last. Time-outs are one budget
/// (<see cref="Budget"/>), generous because a passing test never waits it out: the shared two-core
/// machine decides how long "soon" is, not the test. Tests that own the clock (FakeTimeProvider) never
/// get here: they advance it and await the signal.
/// </summary>
public static class Eventually
{
    /// <summary>How long anything may take; AGENTHOST_TEST_EVENTUALLY_SECONDS overrides it (a slow CI runner).</summary>
    public static TimeSpan Budget { get; } = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("AGENTHOST_TEST_EVENTUALLY_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : 60);

    /// <summary>Observes until <paramref name="done"/> holds, and returns that observation.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> observe, Func<T, bool> done, string what, TimeSpan? budget = null)
    {
        ArgumentNullException.ThrowIfNull(observe);
        ArgumentNullException.ThrowIfNull(done);
        var limit = budget ?? Budget;
        var clock = Stopwatch.StartNew();
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var seen = await observe();
            if (done(seen))
            {
                return seen;
            }

            if (clock.Elapsed > limit)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Not within {limit.TotalSeconds:F0} s: {what}. Last seen: {Describe(seen)}"));
            }

            // Backs off to a fifth of a second: quick when the answer is near, light on a loaded machine.
            await Task.Delay(pause);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks));
        }
    }

    public static Task<T> ReturnsAsync<T>(Func<T> observe, Func<T, bool> done, string what, TimeSpan? budget = null)
    {
        ArgumentNullException.ThrowIfNull(observe);
        return ReturnsAsync(() => Task.FromResult(observe()), done, what, budget);
    }

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? budget = null) =>
        ReturnsAsync(condition, held => held, what, budget);

    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? budget = null) =>
        ReturnsAsync(condition, held => held, what, budget);

    private static string Describe<T>(T seen) => seen switch
    {
        null => "null",
        bool held => held ? "true" : "false (the condition)",
        string text => text,
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(i => i?.ToString())) + "]",
        _ => seen.ToString() ?? string.Empty,
    };
}
