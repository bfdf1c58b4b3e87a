using AgentHost.Core.Tools;
using AgentHost.Tests.Emulators;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Infrastructure;

/// <summary>The host on the model emulator with a plugin double, optionally on a clock the test owns.</summary>
public class RunHostFactory(ModelEmulator model, IToolExecutor tools, string? dataDirectory = null, TimeProvider? time = null, IDictionary<string, string?>? settings = null)
    : AgentHostFactory(ModelSettings(model, settings), dataDirectory)
{
    public static Dictionary<string, string?> ModelSettings(ModelEmulator model, IDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Model:Endpoint"] = model.Endpoint.ToString(),
            ["Model:ApiKey"] = model.ApiKey,
            ["Model:Name"] = "emulated-model",
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(tools);
            if (time is not null)
            {
                services.AddSingleton(time);
            }
        });
    }
}
