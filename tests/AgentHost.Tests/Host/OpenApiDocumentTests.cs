using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Tests.Host;

/// <summary>
/// The published OpenAPI document is the API's shape: a change to a route, a parameter, a body or a typed
/// response changes it, and this test fails until docs/openapi.v1.json is regenerated and reviewed with the
/// change. Regenerate with <c>AGENTHOST_UPDATE_OPENAPI=1 dotnet test tests/AgentHost.Tests --filter OpenApiDocumentTests</c>.
/// </summary>
public sealed class OpenApiDocumentTests : IDisposable
{
    public const string RegenerateVariable = "AGENTHOST_UPDATE_OPENAPI";
    private const string SnapshotFile = "docs/openapi.v1.json";

    private readonly AgentHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Document_MatchesTheCheckedInSnapshot()
    {
        var response = await _host.CreateClientAs("alice@example.com").GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var actual = Normalize(await response.Content.ReadAsStringAsync());
        var path = Path.Combine(RepositoryRoot.Path, SnapshotFile);
        if (Environment.GetEnvironmentVariable(RegenerateVariable) == "1")
        {
            await File.WriteAllTextAsync(path, actual);
        }

        var expected = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : string.Empty;
        if (actual != expected)
        {
            var (line, want, got) = FirstDifference(expected, actual);
            throw new ShouldAssertException(
                $"The API changed shape: /openapi/v1.json differs from {SnapshotFile} at line {line}.\n  snapshot: {want}\n  host:     {got}\n"
                + $"If the change is intended, run {RegenerateVariable}=1 dotnet test tests/AgentHost.Tests --filter OpenApiDocumentTests and commit {SnapshotFile}.");
        }
    }

    [Fact]
    public async Task Document_DescribesTypedBodiesAndResponses()
    {
        var document = JsonNode.Parse(await _host.CreateClientAs("alice@example.com").GetStringAsync("/openapi/v1.json"))!;

        var decision = document["paths"]!["/api/approvals/{id}/decision"]!["post"]!;
        decision["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldEndWith("/ApprovalDecision");
        decision["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldEndWith("/DecisionCounted");
        document["components"]!["schemas"]!["ApprovalDecision"]!["properties"]!["comment"]!["maxLength"]!.GetValue<int>().ShouldBe(1000);
    }

    [Fact]
    public async Task Document_IsForSignedInCallersOnly()
    {
        var response = await _host.CreateClientAs(null).GetAsync("/openapi/v1.json");

        response.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("\"paths\"");
    }

    /// <summary>Indented, \n line endings, without "servers" (it names whichever host answered).</summary>
    private static string Normalize(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        document.Remove("servers");
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
    }

    private static (int Line, string Expected, string Actual) FirstDifference(string expected, string actual)
    {
        var want = expected.Split('\n');
        var got = actual.Split('\n');
        for (var i = 0; i < Math.Max(want.Length, got.Length); i++)
        {
            var w = i < want.Length ? want[i] : "(end)";
            var g = i < got.Length ? got[i] : "(end)";
            if (w != g)
            {
                return (i + 1, w.Trim(), g.Trim());
            }
        }

        return (0, string.Empty, string.Empty);
    }
}
