using AgentHost.Core.Tools;
using AgentHost.Tests.Emulators;
using AgentHost.Tests.Host;
using AgentHost.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Deploy;

/// <summary>GitHub configuration: off without a token, on with one, and a bad value stops the host naming its key.</summary>
public sealed class DeployRegistrationTests
{
    [Fact]
    public void WithoutAToken_TheDeployPluginIsOff()
    {
        using var host = new AgentHostFactory();

        host.Services.GetServices<IToolExecutor>().ShouldNotContain(e => e.Functions.Any(f => f.StartsWith("deploy.", StringComparison.Ordinal)));
        host.Services.GetRequiredService<ToolCatalog>().Plugins.ShouldContain("deploy");
    }

    [Fact]
    public void WithAToken_TheDeployToolsAreRegistered()
    {
        using var host = new AgentHostFactory(new Dictionary<string, string?> { ["GitHub:Token"] = GitHubEmulator.Token });

        host.Services.GetServices<IToolExecutor>().Where(e => e.Functions.Any(f => f.StartsWith("deploy.", StringComparison.Ordinal))).ShouldHaveSingleItem().Functions.ShouldBe(
            TestCatalog.Standard.All.Where(t => t.Plugin == "deploy").Select(t => t.Name), ignoreOrder: true);
    }

    [Theory]
    [InlineData("GitHub:TimeoutSeconds", "0", "GitHub:TimeoutSeconds must be from 1 to 300")]
    [InlineData("GitHub:ApiBaseUrl", "ftp://github.example.com/", "GitHub:ApiBaseUrl must be an absolute http(s) URL")]
    public void ABadSetting_StopsTheHost_NamingTheKey(string key, string value, string message)
    {
        using var broken = new AgentHostFactory(new Dictionary<string, string?> { ["GitHub:Token"] = GitHubEmulator.Token, [key] = value });

        var error = Should.Throw<Exception>(() => broken.CreateClient());

        error.ToString().ShouldContain(message);
    }
}
