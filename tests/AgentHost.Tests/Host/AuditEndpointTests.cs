using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentHost.Core.Audit;
using AgentHost.Core.Audit.Checkpoints;
using AgentHost.Core.Audit.Merkle;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Host;

public sealed class AuditEndpointTests : IDisposable
{
    private readonly AgentHostFactory _host = new();

    [Theory]
    [InlineData("alice@example.com", HttpStatusCode.Forbidden)]
    [InlineData("bob@example.com", HttpStatusCode.Forbidden)]
    [InlineData("sam@example.com", HttpStatusCode.OK)]
    [InlineData("root@example.com", HttpStatusCode.OK)]
    public async Task AuditEndpoints_AreForSecurityAndAdminOnly(string user, HttpStatusCode expected)
    {
        var client = _host.CreateClientAs(user);

        foreach (var path in new[] { "/api/audit", "/api/audit/verify", "/api/audit/checkpoints", "/api/audit/export", "/api/audit/public-key", "/api/audit/proof/consistency?from=0" })
        {
            (await client.GetAsync(path)).StatusCode.ShouldBe(expected, path);
        }
    }

    [Fact]
    public async Task Verify_Search_Proofs_And_Export_AgreeWithEachOther()
    {
        var writer = _host.Services.GetRequiredService<AuditLogWriter>();
        for (var i = 0; i < 25; i++)
        {
            await writer.AppendAsync(new AuditEntry(AuditEventTypes.ActionExecuted, AuditActor.Agent("agent-7"), "agent-7", $"run-{i % 3}", new() { ["i"] = i }), CancellationToken.None);
        }

        await writer.CheckpointNowAsync(CancellationToken.None);
        var client = _host.CreateClientAs("sam@example.com");

        var verify = await client.GetFromJsonAsync<JsonElement>("/api/audit/verify");
        verify.GetProperty("valid").GetBoolean().ShouldBeTrue(verify.ToString());
        var size = verify.GetProperty("count").GetInt64();
        verify.GetProperty("checkpoint").GetProperty("treeSize").GetInt64().ShouldBe(size);

        var run1 = await client.GetFromJsonAsync<JsonElement>("/api/audit?runId=run-1&limit=3");
        run1.GetProperty("events").GetArrayLength().ShouldBe(3);
        run1.GetProperty("events").EnumerateArray().ShouldAllBe(e => e.GetProperty("runId").GetString() == "run-1");
        var next = run1.GetProperty("nextCursor").GetInt64();
        var rest = await client.GetFromJsonAsync<JsonElement>($"/api/audit?runId=run-1&after={next}");
        (run1.GetProperty("events").GetArrayLength() + rest.GetProperty("events").GetArrayLength()).ShouldBe(8);

        var inclusion = await client.GetFromJsonAsync<JsonElement>($"/api/audit/proof/inclusion?seq=5&size={size}");
        MerkleProofs.VerifyInclusion(
            Convert.FromHexString(inclusion.GetProperty("leafHash").GetString()!), 4, size,
            inclusion.GetProperty("path").EnumerateArray().Select(h => Convert.FromHexString(h.GetString()!)).ToList(),
            Convert.FromHexString(verify.GetProperty("checkpoint").GetProperty("rootHash").GetString()!)).ShouldBeTrue();
        var consistency = await client.GetFromJsonAsync<JsonElement>($"/api/audit/proof/consistency?from=10&to={size}");
        consistency.GetProperty("toRoot").GetString().ShouldBe(verify.GetProperty("checkpoint").GetProperty("rootHash").GetString());

        var export = Path.Combine(_host.DataDirectory, "export.jsonl");
        await File.WriteAllBytesAsync(export, await client.GetByteArrayAsync("/api/audit/export?format=jsonl"));
        using var key = CheckpointVerifier.FromPublicKeyPem(await client.GetStringAsync("/api/audit/public-key"));
        var (notes, events) = AuditExport.ReadJsonLines(export);
        var offline = new AuditVerifier(key).Verify(events, notes);
        offline.Valid.ShouldBeTrue(offline.Reason);
        offline.Count.ShouldBe(size);

        var csv = await client.GetStringAsync("/api/audit/export?format=csv&agentId=agent-7");
        csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(26);
    }

    [Theory]
    [InlineData("/api/audit?limit=0", "limit")]
    [InlineData("/api/audit?limit=abc", "limit")]
    [InlineData("/api/audit?from=yesterday", "from")]
    [InlineData("/api/audit/export?format=xml", "format")]
    [InlineData("/api/audit/proof/inclusion", "seq")]
    [InlineData("/api/audit/proof/inclusion?seq=-1", "seq")]
    [InlineData("/api/audit/proof/consistency", "from")]
    public async Task BadQueryParameters_AreNamedIn400(string path, string field)
    {
        var response = await _host.CreateClientAs("sam@example.com").GetAsync(path);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Proof_BeyondTheLog_Is404()
    {
        var response = await _host.CreateClientAs("sam@example.com").GetAsync("/api/audit/proof/inclusion?seq=1&size=999999");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    public void Dispose() => _host.Dispose();
}
