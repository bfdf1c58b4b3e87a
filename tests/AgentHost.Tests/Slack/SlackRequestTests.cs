using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentHost.Plugins.Slack.Signing;
using AgentHost.Tests.Host;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AgentHost.Tests.Slack;

/// <summary>Only genuine, fresh Slack requests get through; every refusal is audited and says nothing.</summary>
public sealed class SlackRequestTests : SlackHostTest
{
    // Slack's documented signing example (../shared/test-vectors.md).
    private const string DocumentedSecret = "8f742231b10e8888abcd99yyyzzz85a5";
    private const string DocumentedTimestamp = "1531420618";
    private const string DocumentedSignature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    private const string DocumentedBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";

    [Fact]
    public void DocumentedExample_GivesSlacksSignature()
    {
        SlackSignature.Compute(DocumentedSecret, DocumentedTimestamp, Encoding.UTF8.GetBytes(DocumentedBody)).ShouldBe(DocumentedSignature);
    }

    [Fact]
    public void DocumentedExample_IsAcceptedOnlyWhenFresh_AndUnchanged()
    {
        var body = Encoding.UTF8.GetBytes(DocumentedBody);
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(1531420618);
        var maxAge = TimeSpan.FromMinutes(5);

        SlackSignature.Check(DocumentedSecret, DocumentedTimestamp, DocumentedSignature, body, signedAt.AddSeconds(30), maxAge).ShouldBeNull();
        SlackSignature.Check(DocumentedSecret, DocumentedTimestamp, DocumentedSignature, body, signedAt.AddMinutes(6), maxAge).ShouldBe("stale timestamp");
        SlackSignature.Check(DocumentedSecret, DocumentedTimestamp, DocumentedSignature, body, signedAt.AddMinutes(-6), maxAge).ShouldBe("stale timestamp");
        SlackSignature.Check(DocumentedSecret, "1531420619", DocumentedSignature, body, signedAt, maxAge).ShouldBe("bad signature");
        SlackSignature.Check("8f742231b10e8888abcd99yyyzzz85a6", DocumentedTimestamp, DocumentedSignature, body, signedAt, maxAge).ShouldBe("bad signature");
        SlackSignature.Check(DocumentedSecret, DocumentedTimestamp, DocumentedSignature[..^1] + "c", body, signedAt, maxAge).ShouldBe("bad signature");
        var flipped = (byte[])body.Clone();
        flipped[10] ^= 1;
        SlackSignature.Check(DocumentedSecret, DocumentedTimestamp, DocumentedSignature, flipped, signedAt, maxAge).ShouldBe("bad signature");
        SlackSignature.Check(DocumentedSecret, null, DocumentedSignature, body, signedAt, maxAge).ShouldBe("missing signature headers");
        SlackSignature.Check(DocumentedSecret, "15314x0618", DocumentedSignature, body, signedAt, maxAge).ShouldBe("malformed timestamp");
        SlackSignature.Check(null, DocumentedTimestamp, DocumentedSignature, body, signedAt, maxAge).ShouldBe("no signing secret configured");
    }

    [Fact]
    public async Task DocumentedExample_PassesTheHostsCheck_WithThePinnedClock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1531420618).AddSeconds(10));
        using var host = new AgentHostFactory(new Dictionary<string, string?> { ["Slack:SigningSecret"] = DocumentedSecret });
        using var pinned = host.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        using var unpinned = new AgentHostFactory(new Dictionary<string, string?> { ["Slack:SigningSecret"] = DocumentedSecret });

        // Genuine, so it gets past the signature; a slash command is not an interactivity payload, hence 400.
        (await Send(pinned.CreateClient())).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await Send(unpinned.CreateClientAs(null))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        static Task<HttpResponseMessage> Send(HttpClient client)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/slack/interactivity") { Content = new StringContent(DocumentedBody, Encoding.UTF8, "application/x-www-form-urlencoded") };
            request.Headers.Add("X-Slack-Request-Timestamp", DocumentedTimestamp);
            request.Headers.Add("X-Slack-Signature", DocumentedSignature);
            return client.SendAsync(request);
        }
    }

    [Fact]
    public async Task ForgedStaleOrHeaderlessRequests_AreRefused_AndAudited()
    {
        var click = ClickBody("U0BOB0001", "ap_0000000000000000", approve: true);
        const string Form = "application/x-www-form-urlencoded";

        var badSignature = await PostSignedAsync(Host, "/slack/interactivity", click, Form, secret: "not-the-signing-secret");
        var stale = await PostSignedAsync(Host, "/slack/interactivity", click, Form, at: TimeProvider.System.GetUtcNow().AddMinutes(-6));
        var future = await PostSignedAsync(Host, "/slack/events", "{\"type\":\"url_verification\",\"challenge\":\"c\"}", "application/json", at: TimeProvider.System.GetUtcNow().AddMinutes(6));
        var headerless = await PostSignedAsync(Host, "/slack/events", "{\"type\":\"url_verification\",\"challenge\":\"c\"}", "application/json", secret: null);
        var garbage = await PostSignedAsync(Host, "/slack/interactivity", click, Form, signatureOverride: "v0=zz");
        var malformed = await PostSignedAsync(Host, "/slack/interactivity", "payload=%7Bnot-json", Form);
        var notAnEnvelope = await PostSignedAsync(Host, "/slack/events", "[1,2,3]", "application/json");
        var oversized = await PostSignedAsync(Host, "/slack/events", "{\"pad\":\"" + new string('x', 300_000) + "\"}", "application/json");

        foreach (var refused in new[] { badSignature, stale, future, headerless, garbage })
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await refused.Content.ReadAsStringAsync()).ShouldNotContain("signature", Case.Insensitive, "the caller learns nothing about why");
        }

        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        notAnEnvelope.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        oversized.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        await Host.FlushRefusalsAsync();
        var audit = await Host.CreateClientAs("sam@example.com").GetFromJsonAsync<JsonElement>("/api/audit?type=slack.request_rejected");
        var reasons = audit.GetProperty("events").EnumerateArray()
            .SelectMany(e => e.GetProperty("data").GetProperty("reasons").EnumerateObject())
            .GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.Sum(r => r.Value.GetInt32()));
        reasons["bad signature"].ShouldBe(2);
        reasons["stale timestamp"].ShouldBe(2);
        reasons.ShouldContainKey("missing signature headers");
        reasons.ShouldContainKey("interactivity without a JSON payload");
        reasons.ShouldContainKey("not a url_verification or event_callback envelope");
        reasons.ShouldContainKey("body too large");
        Slack.Calls.ShouldBeEmpty();
    }
}
