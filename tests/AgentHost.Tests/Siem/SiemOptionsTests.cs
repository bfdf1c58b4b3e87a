using System.Collections;
using AgentHost.Audit.Siem;
using AgentHost.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Siem;

/// <summary>A stream that could not work stops start-up, naming the key and never echoing a secret; secrets come from files too.</summary>
public sealed class SiemOptionsTests
{
    private const string ShortSecret = "tooshort-s3cr3t";

    public static TheoryData<string, string, string> Broken => new()
    {
        { "Kind", "", "Destinations:0:Kind must be syslog or webhook" },
        { "Kind", "kafka", "Destinations:0:Kind" },
        { "Url", "http://siem.example.com/hook", "Destinations:0:Url must be an absolute https URL" },
        { "Url", "/relative", "Destinations:0:Url" },
        { "Secret", ShortSecret, "Destinations:0:Secret is required for a webhook and must be at least 32 characters" },
        { "Name", "with space", "Destinations:0:Name" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void BrokenDestination_StopsStartUp_NamingTheKey_WithoutTheSecret(string key, string value, string message)
    {
        var settings = SiemHosts.Webhook(new Uri("https://siem.example.com/hook"), SiemHosts.NewSecret());
        settings["SiemStream:Destinations:0:" + key] = value;
        using var host = new AgentHostFactory(settings);

        var failure = Should.Throw<Exception>(() => host.Services);

        failure.ToString().ShouldContain(message);
        failure.ToString().ShouldNotContain(settings["SiemStream:Destinations:0:Secret"]!);
    }

    [Fact]
    public void TwoDestinationsOfOneName_AnySyslogWithoutHost_AreRefused()
    {
        var options = new SiemStreamOptions
        {
            Destinations =
            [
                new() { Name = "siem", Kind = SiemDestinationKind.Syslog, Host = "127.0.0.1" },
                new() { Name = "SIEM", Kind = SiemDestinationKind.Syslog, Host = "127.0.0.1" },
                new() { Name = "other", Kind = SiemDestinationKind.Syslog },
            ],
        };

        var result = new SiemStreamOptionsValidator().Validate(null, options);

        result.Failed.ShouldBeTrue();
        result.FailureMessage.ShouldContain("SiemStream:Destinations:1:Name 'SIEM' is used by another destination");
        result.FailureMessage.ShouldContain("SiemStream:Destinations:2:Host is required");
    }

    [Fact]
    public void NothingConfigured_IsValid_AndRunsNothing()
    {
        new SiemStreamOptionsValidator().Validate(null, new SiemStreamOptions()).Succeeded.ShouldBeTrue();
        using var host = new AgentHostFactory();
        host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<SiemStreamService>().ShouldBeEmpty();
    }

    [Fact]
    public void Secret_FromAFile_SetsTheDestinationsSecret()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "from-a-file-0123456789abcdef0123456789\n");
        var environment = new Hashtable { ["SiemStream__Destinations__0__Secret_FILE"] = file };

        var configuration = new ConfigurationBuilder().AddSecretFiles(environment).Build();

        configuration["SiemStream:Destinations:0:Secret"].ShouldBe("from-a-file-0123456789abcdef0123456789");
        File.Delete(file);
    }

    [Fact]
    public void Target_ShowsNoUserInfoQueryOrFragment()
    {
        new SiemDestinationOptions { Kind = SiemDestinationKind.Webhook, Url = new Uri("https://user:pw@siem.example.com:8443/in/take?token=abc#x") }
            .Target.ShouldBe("https://siem.example.com:8443/in/take");
        new SiemDestinationOptions { Kind = SiemDestinationKind.Syslog, Host = "logs.example.com", Tls = true }.Target.ShouldBe("tls://logs.example.com:6514");
    }
}
