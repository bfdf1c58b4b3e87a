using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Infrastructure;

/// <summary>A host wired to a fresh model emulator and a recording plugin double, per test.</summary>
public abstract class RunHostTest : IAsyncLifetime
{
    protected RecordingToolExecutor Tools { get; } = new();

    protected ModelEmulator Model { get; private set; } = null!;

    protected RunHostFactory Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = await ModelEmulator.StartAsync();
        Host = new RunHostFactory(Model, Tools);
    }

    public async Task DisposeAsync()
    {
        Host.Dispose();
        await Model.DisposeAsync();
    }
}
