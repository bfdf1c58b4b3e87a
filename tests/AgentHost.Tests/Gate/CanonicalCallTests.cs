using AgentHost.Core.Gate;
using AgentHost.Core.Policies;
using AgentHost.Core.Tools;
using AgentHost.Tests.Infrastructure;

namespace AgentHost.Tests.Gate;

public sealed class CanonicalCallTests
{
    private static readonly ToolDescriptor Send = TestCatalog.Standard.All.Single(t => t.Name == "email.send");
    private static readonly ToolDescriptor Dispatch = TestCatalog.Standard.All.Single(t => t.Name == "deploy.trigger_workflow");

    [Fact]
    public void Of_SameArgumentsInAnyOrder_IsOneJsonAndOneHash()
    {
        var a = CanonicalCall.Of("email.send", new Dictionary<string, ToolArgumentValue> { ["to"] = new[] { "ops@partner.test" }, ["subject"] = "s", ["body"] = "b" });
        var b = CanonicalCall.Of("email.send", new Dictionary<string, ToolArgumentValue> { ["body"] = "b", ["subject"] = "s", ["to"] = new[] { "ops@partner.test" } });

        a.ArgumentsJson.ShouldBe("""{"body":"b","subject":"s","to":["ops@partner.test"]}""");
        b.ArgumentsJson.ShouldBe(a.ArgumentsJson);
        b.ArgumentsSha256.ShouldBe(a.ArgumentsSha256);
        a.ArgumentsSha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(a.ArgumentsJson))));
    }

    [Fact]
    public void Of_AListOfOneAndTheSameText_AreDifferentCalls()
    {
        var list = CanonicalCall.Of("email.send", new Dictionary<string, ToolArgumentValue> { ["to"] = new[] { "a@x.test" } });
        var text = CanonicalCall.Of("email.send", new Dictionary<string, ToolArgumentValue> { ["to"] = "a@x.test" });

        list.ArgumentsSha256.ShouldNotBe(text.ArgumentsSha256);
    }

    [Fact]
    public void Parse_TheStoredCall_RoundTrips()
    {
        var call = CanonicalCall.Create(TestCatalog.Standard, "email.send", new Dictionary<string, ToolArgumentValue> { ["to"] = new[] { "ops@partner.test" }, ["body"] = "ünïcode <b>&" });

        var parsed = CanonicalCall.Parse("email.send", call.ArgumentsJson, call.ArgumentsSha256).ShouldNotBeNull();

        parsed.ArgumentsJson.ShouldBe(call.ArgumentsJson);
        parsed.Arguments["to"].Values().ShouldBe(["ops@partner.test"]);
    }

    [Theory]
    [InlineData("""{"body":"b","to":["attacker@evil.test"]}""", null)]
    [InlineData("""{"to":["ops@partner.test"],"body":"b"}""", null)]
    [InlineData("""{"body":"b", "to":["ops@partner.test"]}""", null)]
    [InlineData("""{"body":"b","to":["ops@partner.test"]}""", "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("""{"body":"b","to":["ops@partner.test"]}""", "")]
    [InlineData("""["ops@partner.test"]""", null)]
    [InlineData("""{"body":{"x":1}}""", null)]
    public void Parse_EditedOrNotCanonical_IsNull(string json, string? hash)
    {
        var original = CanonicalCall.Of("email.send", new Dictionary<string, ToolArgumentValue> { ["to"] = new[] { "ops@partner.test" }, ["body"] = "b" });

        // The hash kept is the original one unless the case forges it too; either way the text must hash to it and be canonical.
        CanonicalCall.Parse("email.send", json, hash ?? original.ArgumentsSha256).ShouldBeNull();
        CanonicalCall.Parse("email.send", original.ArgumentsJson, null).ShouldBeNull();
    }

    [Fact]
    public void Parse_ForgedTextWithItsOwnHash_IsStillNotCanonicalWhenReordered()
    {
        const string reordered = """{"to":["ops@partner.test"],"body":"b"}""";

        CanonicalCall.Parse("email.send", reordered, CanonicalCall.Hash(reordered)).ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"to":"a@x.test"}""", """{"to":["a@x.test"]}""")]
    [InlineData("""{"to":["a@x.test"],"subject":null}""", """{"to":["a@x.test"]}""")]
    [InlineData("""{"body":"x","subject":42}""", """{"body":"x","subject":"42"}""")]
    public void Read_ModelArguments_GiveOneCanonicalForm(string raw, string canonical)
    {
        var (arguments, error) = ProposedArguments.Read(Send, Elements(raw));

        error.ShouldBeNull();
        CanonicalCall.Create(TestCatalog.Standard, "email.send", arguments!).ArgumentsJson.ShouldBe(canonical);
    }

    [Theory]
    [InlineData("""{"to":["a@x.test"],"bcc":["attacker@evil.test"]}""", "no argument 'bcc'")]
    [InlineData("""{"to":[1,2]}""", "to: expected a list of texts")]
    [InlineData("""{"to":[["a@x.test"]]}""", "to: expected a list of texts")]
    [InlineData("""{"subject":{"nested":"x"}}""", "subject: expected text")]
    [InlineData("""{"subject":["a","b"]}""", "subject: expected text")]
    public void Read_WrongShapesAndUnknownNames_AreMalformed(string raw, string error)
    {
        var (arguments, why) = ProposedArguments.Read(Send, Elements(raw));

        arguments.ShouldBeNull();
        why.ShouldNotBeNull().ShouldContain(error);
    }

    [Fact]
    public void Read_WorkflowInputs_AreAnObjectKeptAsCompactJson()
    {
        var (arguments, error) = ProposedArguments.Read(Dispatch, Elements("""{"repo":"acme/web","workflow":"ci.yml","ref":"main","inputs":{ "version" : "1.2.3" }}"""));

        error.ShouldBeNull();
        arguments!["inputs"].ToString().ShouldBe("""{"version":"1.2.3"}""");
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("call_abc-1.2:3", "call_abc-1.2:3")]
    [InlineData("call <script>", null)]
    [InlineData("call\u0000x", null)]
    [InlineData("ａｂｃ", null)]
    public void Correlation_KeepsOnlyPlainShortModelIds(string? modelId, string? kept) =>
        CallIdentity.Correlation(modelId).ShouldBe(kept);

    [Fact]
    public void Correlation_OversizedId_IsDropped() =>
        CallIdentity.Correlation(new string('a', CallIdentity.MaxModelIdLength + 1)).ShouldBeNull();

    private static Dictionary<string, object?> Elements(string json) =>
        System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
}
