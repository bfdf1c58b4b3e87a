using AgentHost.Core.Gate;
using AgentHost.Core.Policies;
using AgentHost.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentHost.Tests.Runs;

/// <summary>The second lock, on its own: a kernel with the filter and a dummy function that counts its calls.</summary>
public sealed class GateEnforcementFilterTests
{
    private const string RunId = "run_0011223344556677";
    private int _executed;

    [Fact]
    public async Task TicketForTheseArguments_RunsTheFunctionOnce()
    {
        var (kernel, send) = Kernel();
        using (GateTicket.Issue(Ticket("email.send", ["ops@partner.test"])))
        {
            await kernel.InvokeAsync(send, Arguments(["ops@partner.test"]));
        }

        _executed.ShouldBe(1);
    }

    [Fact]
    public async Task NoTicket_IsRefused()
    {
        var (kernel, send) = Kernel();

        (await Should.ThrowAsync<InvalidOperationException>(() => kernel.InvokeAsync(send, Arguments(["ops@partner.test"])))).Message.ShouldContain("without passing the gate");
        _executed.ShouldBe(0);
    }

    [Fact]
    public async Task TicketForAnotherFunction_IsRefused()
    {
        var (kernel, send) = Kernel();
        using (GateTicket.Issue(Ticket("slack.post_message", ["ops@partner.test"])))
        {
            (await Should.ThrowAsync<InvalidOperationException>(() => kernel.InvokeAsync(send, Arguments(["ops@partner.test"])))).Message.ShouldContain("ticket for slack.post_message");
        }

        _executed.ShouldBe(0);
    }

    [Theory]
    [InlineData("attacker@evil.test")]
    [InlineData("OPS@partner.test")]
    [InlineData("ops@partner.test ")]
    public async Task OtherArguments_AreRefused(string recipient)
    {
        var (kernel, send) = Kernel();
        using (GateTicket.Issue(Ticket("email.send", ["ops@partner.test"])))
        {
            (await Should.ThrowAsync<InvalidOperationException>(() => kernel.InvokeAsync(send, Arguments([recipient])))).Message.ShouldContain("arguments other than the gate decided");
        }

        _executed.ShouldBe(0);
    }

    [Fact]
    public async Task AnAddedArgument_OrTheSameValueAsTextInsteadOfAList_IsRefused()
    {
        var (kernel, send) = Kernel();
        using (GateTicket.Issue(Ticket("email.send", ["ops@partner.test"])))
        {
            var withCc = Arguments(["ops@partner.test"]);
            withCc["cc"] = new[] { "attacker@evil.test" };
            await Should.ThrowAsync<InvalidOperationException>(() => kernel.InvokeAsync(send, withCc));
            await Should.ThrowAsync<InvalidOperationException>(() => kernel.InvokeAsync(send, new KernelArguments { ["to"] = "ops@partner.test" }));
            await Should.ThrowAsync<InvalidOperationException>(() => kernel.InvokeAsync(send, new KernelArguments { ["to"] = 42 }));
        }

        _executed.ShouldBe(0);
    }

    [Fact]
    public async Task ATicketUsedTwice_IsRefusedTheSecondTime()
    {
        var (kernel, send) = Kernel();
        using (GateTicket.Issue(Ticket("email.send", ["ops@partner.test"])))
        {
            await kernel.InvokeAsync(send, Arguments(["ops@partner.test"]));
            (await Should.ThrowAsync<InvalidOperationException>(() => kernel.InvokeAsync(send, Arguments(["ops@partner.test"])))).Message.ShouldContain("second time");
        }

        _executed.ShouldBe(1);
    }

    [Fact]
    public async Task ARevokedTicket_AdmitsNothing()
    {
        var (kernel, send) = Kernel();
        GateTicket.Issue(Ticket("email.send", ["ops@partner.test"])).Dispose();

        await Should.ThrowAsync<InvalidOperationException>(() => kernel.InvokeAsync(send, Arguments(["ops@partner.test"])));
        _executed.ShouldBe(0);
    }

    private static GateTicket Ticket(string function, string[] to) =>
        new(function, "call_1_0", "ag_test", RunId, CanonicalCall.Of(function, new Dictionary<string, ToolArgumentValue> { ["to"] = to }).ArgumentsSha256);

    private static KernelArguments Arguments(string[] to) => new() { ["to"] = to };

    private (Kernel Kernel, KernelFunction Send) Kernel()
    {
        var builder = Microsoft.SemanticKernel.Kernel.CreateBuilder();
        builder.Services.AddSingleton<IFunctionInvocationFilter, GateEnforcementFilter>();
        var kernel = builder.Build();
        var send = KernelFunctionFactory.CreateFromMethod(
            (Func<KernelArguments, string>)(_ =>
            {
                Interlocked.Increment(ref _executed);
                return "sent";
            }),
            "send",
            "Send an email.",
            [new KernelParameterMetadata("to") { ParameterType = typeof(string[]) }, new KernelParameterMetadata("cc") { ParameterType = typeof(string[]) }]);
        kernel.Plugins.AddFromFunctions("email", [send]);
        return (kernel, kernel.Plugins.GetFunction("email", "send"));
    }
}
