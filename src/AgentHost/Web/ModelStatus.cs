using AgentHost.Runs;
using Microsoft.Extensions.Options;

namespace AgentHost.Web;

/// <summary>
/// Whether runs can reach a model (Model:Endpoint). Without one the host starts and every run fails with a
/// clear reason; the home page and the start-up log say so at once, rather than after the first run.
/// </summary>
public sealed partial class ModelStatus(IOptions<ModelOptions> options, ILogger<ModelStatus> logger) : IHostedService
{
    public bool Configured => options.Value.Endpoint is not null;

    public string Name => options.Value.Name;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            LogNoModel();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No model is configured (Model:Endpoint is empty): agents can be created and previewed, but every run fails until Model:Endpoint (and Model:ApiKey) are set")]
    private partial void LogNoModel();
}
