using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentHost.Tests.Host;

namespace AgentHost.Tests.Security.Fuzzing;

/// <summary>
/// The agent form's API and the other JSON bodies an employee can send, mutated: every answer is a
/// 2xx or a 4xx with problem details, never a 500, and the host still serves afterwards.
/// </summary>
public sealed class ApiValidationFuzzTests : IDisposable
{
    public const int Executions = 800;

    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1", "1e308", "2147483648", "-9223372036854775809", "0.5", "\"\"", "\\u0000", "\\ud800",
        "\"tools\":", "\"scopes\":{\"x\":[]}", "\"budgets\":{}", "\"triggers\":{\"schedules\":[{\"cron\":\"* * * * * * *\"}]}", "\"maxTurns\":",
        "\"slack.channels\":[\"*\"]", "\"decision\":", "\"arguments\":{\"to\":[[]]}", "\"tainted\":[null]", "\"" + new string('x', 300) + "\"",
    ];

    private readonly AgentHostFactory _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task MutatedBodies_AreAnswered2xxOr4x_Never500()
    {
        var agent = await CreateAgentAsync();
        var bodies = new (HttpMethod Method, string Path, string Json)[]
        {
            (HttpMethod.Post, "/api/agents", JsonSerializer.Serialize(ValidAgent())),
            (HttpMethod.Put, $"/api/agents/{agent}", JsonSerializer.Serialize(ValidAgent())),
            (HttpMethod.Post, $"/api/agents/{agent}/disable", """{"reason":"fuzz"}"""),
            (HttpMethod.Post, "/api/approvals/apr_missing/decision", """{"decision":"approve","comment":"ok"}"""),
            (HttpMethod.Post, "/api/policy/evaluate", """{"function":"email.send","arguments":{"to":["a@partner.test"]},"agent":{"owner":"alice@example.com","tools":["email.send"],"scopes":{"email.recipientDomains":["partner.test"]}},"tainted":["to"]}"""),
        };
        var mutator = new Mutator(seed: 9_006, Tokens);
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        var client = _host.CreateClientAs("alice@example.com");
        for (var i = 0; i < Executions; i++)
        {
            var (method, path, json) = bodies[i % bodies.Length];
            var mutated = mutator.Mutate(json);
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(mutated, Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(request);
            statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"#{i} {method} {path} -> {(int)response.StatusCode}: {mutated}");
            }
        }

        (await client.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        FuzzReport.Record("api validation", Executions, failures.Count, string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}")));
        failures.ShouldBeEmpty(string.Join('\n', failures.Take(10)));
    }

    private async Task<string> CreateAgentAsync()
    {
        var response = await _host.CreateClientAs("alice@example.com").PostAsJsonAsync("/api/agents", ValidAgent());
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static object ValidAgent() => new
    {
        name = "Fuzzed helper",
        instructions = "Answer questions about #ops.",
        tools = new[] { "slack.read_channel", "email.send" },
        scopes = new Dictionary<string, string[]> { ["slack.channels"] = ["C0OPS"], ["email.recipientDomains"] = ["partner.test"] },
        triggers = new { manual = true, schedules = new[] { new { cron = "0 9 * * 1-5", input = "daily" } } },
        budgets = new { tokensPerRun = 50_000, tokensPerDay = 1_000_000, maxTurns = 5, maxConcurrentRuns = 2 },
    };
}
