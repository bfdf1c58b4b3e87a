using System.Globalization;
using System.Net;
using System.Text;
using AgentHost.Plugins.Slack.Signing;
using AgentHost.Tests.Slack;

namespace AgentHost.Tests.Security.Fuzzing;

/// <summary>
/// Slack's two callbacks under mutated input. The signature check is pure, so it takes many executions;
/// payload parsing goes through the real host with a valid signature, so the parser, not the
/// signature, is what meets the garbage. Nothing may answer 500 and nothing forged may pass.
/// </summary>
public sealed class SlackFuzzTests : SlackHostTest
{
    public const int SignatureExecutions = 20_000;
    public const int PayloadExecutions = 600;

    private static readonly string[] Tokens =
    [
        "{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\\u0000", "\\ud800", "%", "%7B", "%ZZ", "&", "=", "+",
        "payload=", "\"type\":\"block_actions\"", "\"actions\":[]", "\"user\":{}", "\"event\":{\"type\":\"app_mention\"}",
        "\"event_id\":\"Ev1\"", "\"type\":\"event_callback\"", "\"type\":\"url_verification\"", "\"value\":\"" + new string('a', 70) + "\"",
    ];

    [Fact]
    public void SignatureCheck_OnMutatedHeadersAndBodies_NeverThrows_AndAcceptsOnlyTheGenuineSignature()
    {
        var now = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        const string Body = "payload=%7B%22type%22%3A%22block_actions%22%7D";
        var genuine = SlackSignature.Compute(SigningSecret, timestamp, Encoding.UTF8.GetBytes(Body));
        var mutator = new Mutator(seed: 9_002, [.. Tokens, "v0=", "v1=", "99999999999999999999", "-1", " ", "\u0660"]);
        var failures = new List<string>();
        for (var i = 0; i < SignatureExecutions; i++)
        {
            var (ts, signature, body) = (mutator.Next(3)) switch
            {
                0 => (mutator.Mutate(timestamp), genuine, Body),
                1 => (timestamp, mutator.Mutate(genuine), Body),
                _ => (timestamp, genuine, mutator.Mutate(Body)),
            };
            try
            {
                var why = SlackSignature.Check(SigningSecret, ts, signature, Encoding.UTF8.GetBytes(body), now, TimeSpan.FromMinutes(5));
                var same = ts == timestamp && signature == genuine && body == Body;
                if ((why is null) != same)
                {
                    failures.Add($"#{i}: ts '{ts}', signature '{signature}', body '{body}' -> {why ?? "accepted"}");
                }
            }
            catch (Exception ex)
            {
                failures.Add($"#{i}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        FuzzReport.Record("slack signature", SignatureExecutions, failures.Count, "only the unmodified request verified");
        failures.ShouldBeEmpty(string.Join('\n', failures.Take(10)));
    }

    [Fact]
    public async Task SignedButMutatedPayloads_AreAnswered200Or400_Never500()
    {
        var click = ClickBody("U0BOB0001", "apr_nope", approve: true);
        var mention = """{"type":"event_callback","event_id":"Ev0FUZZ","event":{"type":"app_mention","user":"U0ALICE01","channel":"C0OPS","ts":"1764000001.000100","text":"<@U0BOT> hi"}}""";
        var mutator = new Mutator(seed: 9_003, Tokens);
        var failures = new List<string>();
        var statuses = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < PayloadExecutions; i++)
        {
            var interactivity = i % 2 == 0;
            var body = mutator.Mutate(interactivity ? click : mention);
            using var response = await PostSignedAsync(Host, interactivity ? "/slack/interactivity" : "/slack/events", body, interactivity ? "application/x-www-form-urlencoded" : "application/json");
            statuses[response.StatusCode] = statuses.GetValueOrDefault(response.StatusCode) + 1;
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.BadRequest))
            {
                failures.Add($"#{i} {(interactivity ? "interactivity" : "events")} -> {(int)response.StatusCode}: {body}");
            }
        }

        FuzzReport.Record("slack payloads", PayloadExecutions, failures.Count, string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{(int)s.Key}: {s.Value}")));
        failures.ShouldBeEmpty(string.Join('\n', failures.Take(10)));
    }

    [Fact]
    public async Task OversizedSlackBody_IsRefused413_WithoutBeingBuffered()
    {
        var body = "payload=" + new string('a', SlackRequestVerifierLimit + 1);

        using var response = await PostSignedAsync(Host, "/slack/interactivity", body, "application/x-www-form-urlencoded");

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    private const int SlackRequestVerifierLimit = AgentHost.Slack.SlackRequestVerifier.MaxBodyBytes;
}
