using AgentHost.Audit.Siem;
using AgentHost.Tests.Storage;

namespace AgentHost.Tests.Siem;

/// <summary>
/// The cursor and its lease on the real store (SQLite, or PostgreSQL with AGENTHOST_TEST_STORE=postgres):
/// one owner at a time per destination, a lost lease cannot move the cursor, the cursor never goes back.
/// </summary>
public sealed class SiemCursorStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OneOwnerAtATime_AnotherTakesOverOnlyAfterTheLeaseRanOut()
    {
        var cursors = new SiemCursorStore(await TestStore.CreateAsync());

        (await cursors.TryLeaseAsync("siem", "worker-a", Now, Now + Lease, CancellationToken.None)).ShouldBe(0);
        (await cursors.TryLeaseAsync("siem", "worker-b", Now.AddSeconds(29), Now.AddSeconds(59), CancellationToken.None)).ShouldBeNull("a holds it");
        (await cursors.TryLeaseAsync("SIEM", "worker-b", Now, Now + Lease, CancellationToken.None)).ShouldBe(0, "another destination (names are exact keys) is free");
        (await cursors.AdvanceAsync("siem", "worker-a", 42, Now.AddSeconds(10), Now.AddSeconds(40), CancellationToken.None)).ShouldBeTrue();
        (await cursors.TryLeaseAsync("siem", "worker-b", Now.AddSeconds(39), Now.AddSeconds(69), CancellationToken.None)).ShouldBeNull("advancing renewed a's lease");

        (await cursors.TryLeaseAsync("siem", "worker-b", Now.AddSeconds(41), Now.AddSeconds(71), CancellationToken.None)).ShouldBe(42, "b takes over where a got to");
        (await cursors.AdvanceAsync("siem", "worker-a", 99, Now.AddSeconds(42), Now.AddSeconds(72), CancellationToken.None)).ShouldBeFalse("a lost the lease: its cursor move is refused");
        (await cursors.AllAsync(CancellationToken.None))["siem"].LastSeq.ShouldBe(42);
    }

    [Fact]
    public async Task TheCursorNeverGoesBack_AndReleaseFreesTheLeaseAtOnce()
    {
        var cursors = new SiemCursorStore(await TestStore.CreateAsync());
        await cursors.TryLeaseAsync("siem", "worker-a", Now, Now + Lease, CancellationToken.None);
        await cursors.AdvanceAsync("siem", "worker-a", 10, Now, Now + Lease, CancellationToken.None);
        await cursors.AdvanceAsync("siem", "worker-a", 7, Now, Now + Lease, CancellationToken.None);
        await cursors.RecordErrorAsync("siem", new string('x', 2_000), Now, CancellationToken.None);

        await cursors.ReleaseAsync("siem", "worker-b", CancellationToken.None);
        (await cursors.TryLeaseAsync("siem", "worker-b", Now, Now + Lease, CancellationToken.None)).ShouldBeNull("only the owner releases");
        await cursors.ReleaseAsync("siem", "worker-a", CancellationToken.None);
        (await cursors.TryLeaseAsync("siem", "worker-b", Now, Now + Lease, CancellationToken.None)).ShouldBe(10);

        var stored = (await cursors.AllAsync(CancellationToken.None))["siem"];
        stored.LastSeq.ShouldBe(10);
        stored.LastError!.Length.ShouldBe(500, "a long error is cut, not refused");
        stored.LeaseOwner.ShouldBe("worker-b");
    }

    [Fact]
    public void Backoff_DoublesFromTheFirstWait_UpToTheCap()
    {
        var options = new SiemStreamOptions { InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(60) };

        Enumerable.Range(1, 9).Select(f => SiemForwarder.Backoff(options, f).TotalSeconds).ShouldBe([1, 2, 4, 8, 16, 32, 60, 60, 60]);
        SiemForwarder.Backoff(options, 10_000).ShouldBe(TimeSpan.FromSeconds(60));
    }
}
