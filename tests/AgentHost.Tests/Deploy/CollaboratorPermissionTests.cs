using System.Net;
using System.Net.Http.Headers;
using AgentHost.Plugins.Deploy;
using AgentHost.Plugins.Deploy.Api;
using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Deploy;

/// <summary>GET /repos/{owner}/{repo}/collaborators/{username}/permission through Octokit against the emulator, as GitHub answers it.</summary>
public sealed class CollaboratorPermissionTests : IAsyncLifetime
{
    private GitHubEmulator _github = null!;

    public async Task InitializeAsync()
    {
        _github = await GitHubEmulator.StartAsync();
        _github.AddRepository("acme/web");
        _github.SetPermission("acme/web", "alice-adams", "maintain");
        _github.SetPermission("acme/web", "dave-diaz", "triage");
        _github.AddUser("carol-chen");
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    [Theory]
    [InlineData("alice-adams", "write")]
    [InlineData("ALICE-ADAMS", "write")]
    [InlineData("dave-diaz", "read")]
    [InlineData("carol-chen", "none")]
    public async Task Permission_IsGitHubsBaseRole(string login, string expected)
    {
        (await Client().CollaboratorPermissionAsync(RepositoryName.Parse("acme/web"), login, CancellationToken.None)).ShouldBe(expected);
    }

    [Fact]
    public async Task UnknownRepositoryOrUser_IsNull()
    {
        (await Client().CollaboratorPermissionAsync(RepositoryName.Parse("acme/secret"), "alice-adams", CancellationToken.None)).ShouldBeNull();
        (await Client().CollaboratorPermissionAsync(RepositoryName.Parse("acme/web"), "mallory", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task WithoutAToken_IsRefused()
    {
        using var http = new HttpClient { BaseAddress = _github.ApiBaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "repos/acme/web/collaborators/alice-adams/permission");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("test", "1"));

        (await http.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await Should.ThrowAsync<Octokit.AuthorizationException>(() => Client("ghp_wrong").CollaboratorPermissionAsync(RepositoryName.Parse("acme/web"), "alice-adams", CancellationToken.None));
    }

    private GitHubDeployClient Client(string token = GitHubEmulator.Token) =>
        new(new DeployOptions { Token = token, ApiBaseUrl = _github.ApiBaseUrl, TimeoutSeconds = 10 });
}
