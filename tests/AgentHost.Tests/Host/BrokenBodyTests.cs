using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace AgentHost.Tests.Host;

/// <summary>
/// Every API endpoint that reads JSON answers a broken body with a client error as problem details, in
/// every environment: Development included, where a binding failure used to surface as a 500.
/// </summary>
public sealed class BrokenBodyTests
{
    private const string Agent = """{"name":"Broken bodies","instructions":"List my mail.","tools":["email.list_messages"],"scopes":{"email.folders":["INBOX"]},"triggers":{"manual":true}}""";

    public static TheoryData<string, string, string> Endpoints() => new()
    {
        { "Development", "POST", "/api/agents" },
        { "Development", "PUT", "/api/agents/{agent}" },
        { "Development", "POST", "/api/agents/{agent}/runs" },
        { "Development", "POST", "/api/agents/{agent}/disable" },
        { "Development", "POST", "/api/approvals/ap_0000000000000000/decision" },
        { "Development", "POST", "/api/policy/evaluate" },
        { "Production", "POST", "/api/agents" },
        { "Production", "POST", "/api/policy/evaluate" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task BrokenJson_WrongContentType_AndOversizedBodies_AreClientErrors(string environment, string method, string path)
    {
        using var host = new AgentHostFactory { EnvironmentName = environment };
        var client = host.CreateClientAs("root@example.com");
        var created = await client.PostAsJsonAsync("/api/agents", JsonDocument.Parse(Agent).RootElement);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var agentId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var url = path.Replace("{agent}", agentId, StringComparison.Ordinal);

        foreach (var broken in new[] { "{\"name\":", "{\"name\": tru}", "[1,2", "\"unterminated", "{\"input\":{\"$ref\":" })
        {
            await ShouldRefuseAsync(client, method, url, new StringContent(broken, Encoding.UTF8, "application/json"), HttpStatusCode.BadRequest);
        }

        await ShouldRefuseAsync(client, method, url, new StringContent("{}", Encoding.UTF8, "text/plain"), HttpStatusCode.UnsupportedMediaType);
        await ShouldRefuseAsync(client, method, url, new StringContent("{\"pad\":\"" + new string('x', 1_100_000) + "\"}", Encoding.UTF8, "application/json"), HttpStatusCode.RequestEntityTooLarge);
    }

    private static async Task ShouldRefuseAsync(HttpClient client, string method, string url, HttpContent content, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = content };
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(expected, $"{method} {url}: {body}");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", body);
        body.ShouldNotContain("   at ", Case.Sensitive, "no stack trace leaves the host");
    }
}
