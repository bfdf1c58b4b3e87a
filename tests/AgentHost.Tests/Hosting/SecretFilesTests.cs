using AgentHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace AgentHost.Tests.Hosting;

public sealed class SecretFilesTests
{
    [Fact]
    public void AFileVariable_SetsItsKey_ToTheFilesText()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "xoxb-from-a-file\n");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["Slack:BotToken"] = "inline" })
                .AddSecretFiles(new Dictionary<string, string> { ["Slack__BotToken_FILE"] = file, ["PATH"] = "/usr/bin" })
                .Build();

            configuration["Slack:BotToken"].ShouldBe("xoxb-from-a-file", "the file wins, without its trailing newline");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AnUnreadableFile_StopsStartUp_NamingTheVariableNotAValue()
    {
        var missing = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"));

        var error = Should.Throw<InvalidOperationException>(() => new ConfigurationBuilder()
            .AddSecretFiles(new Dictionary<string, string> { ["Model__ApiKey_FILE"] = missing }));

        error.Message.ShouldContain("Model__ApiKey_FILE");
        error.Message.ShouldContain(missing);
    }

    [Fact]
    public void Key_MapsAspNetCoreStyleNames()
    {
        SecretFiles.Key("ConnectionStrings__AgentHostOwner_FILE").ShouldBe("ConnectionStrings:AgentHostOwner");
        SecretFiles.Key("Email__Imap__Password_FILE").ShouldBe("Email:Imap:Password");
        SecretFiles.Key("Auth__Mode").ShouldBe("Auth:Mode");
    }
}
