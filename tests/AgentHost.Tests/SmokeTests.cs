namespace AgentHost.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void True_IsTrue() => true.ShouldBeTrue();
}
