using AgentHost.Plugins.Deploy;
using AgentHost.Plugins.Deploy.Api;
using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Deploy;

/// <summary>GET /user/repos through our client against the emulator: the token's repositories, page by page along the Link header.</summary>
public sealed class UserReposTests : IAsyncLifetime
{
    private GitHubEmulator _github = null!;

    public async Task InitializeAsync()
    {
        _github = await GitHubEmulator.StartAsync();
        foreach (var i in Enumerable.Range(1, 150))
        {
            _github.AddRepository($"acme/repo-{i:000}");
        }
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Fact]
    public async Task Repositories_FollowTheLinkHeader_UpToTheLimit()
    {
        var all = await Client().RepositoriesAsync(5, CancellationToken.None);
        var first = await Client().RepositoriesAsync(1, CancellationToken.None);

        all.Count.ShouldBe(150);
        all[0].ShouldBe("acme/repo-001");
        all[^1].ShouldBe("acme/repo-150");
        first.Count.ShouldBe(100);
        _github.CallsTo("GET", "/user/repos").Select(c => c.Query).ShouldContain(q => q.Contains("page=2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWrongToken_IsRefused()
    {
        var client = new GitHubDeployClient(new DeployOptions { Token = "ghp_wrong", ApiBaseUrl = _github.ApiBaseUrl });

        await Should.ThrowAsync<Octokit.AuthorizationException>(() => client.RepositoriesAsync(1, CancellationToken.None));
    }

    private GitHubDeployClient Client() => new(new DeployOptions { Token = GitHubEmulator.Token, ApiBaseUrl = _github.ApiBaseUrl });
}
