using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentHost.Tests.Infrastructure;

/// <summary>
/// The real host over a fresh SQLite file (or, with AGENTHOST_TEST_STORE=postgres, a fresh PostgreSQL
/// database named after the data folder, so a restarted host finds it) and the repository's policies.
/// TestServer has no socket, so the client's address is set explicitly: loopback unless a test asks to
/// come from elsewhere.
/// </summary>
public class AgentHostFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly StartupFailureLog _startupFailure = new();

    public AgentHostFactory(IDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        OwnsData = dataDirectory is null;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "agenthost-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        _settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["ConnectionStrings:AgentHost"] = TestPostgres.HostTestsOnPostgres
                ? TestPostgres.Database(Path.GetFileName(DataDirectory))
                : $"Data Source={Path.Combine(DataDirectory, "agenthost.db")}",
            ["Policies:Path"] = Path.Combine(RepositoryRoot.Path, "policies"),
            ["Directory:Path"] = Path.Combine(RepositoryRoot.Path, "src", "AgentHost", "directory.yaml"),
            ["Audit:KeyPath"] = Path.Combine(DataDirectory, "audit-signing-key.pem"),
            ["Audit:CheckpointFile"] = Path.Combine(DataDirectory, "checkpoints.log"),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    /// <summary>False for a second host started on another host's files (a restart).</summary>
    public bool OwnsData { get; set; }

    public IPAddress RemoteAddress { get; set; } = IPAddress.Loopback;

    /// <summary>The hosting environment; "Development" turns on ASP.NET Core's developer behaviours.</summary>
    public string EnvironmentName { get; init; } = "Testing";

    public HttpClient CreateClientAs(string? email)
    {
        // ClientOptions.BaseAddress: a host on Kestrel (UseKestrel) is reached at its real address.
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        if (email is not null)
        {
            client.DefaultRequestHeaders.Add("X-Dev-User", email);
        }

        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Writes the refused requests counted so far (RefusedRequests) to the audit trail now, as at shutdown.</summary>
    public Task<int> FlushRefusalsAsync() =>
        Services.GetRequiredService<AgentHost.Auth.RefusedRequestsFlusher>().FlushAsync(all: true, CancellationToken.None);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
            services.AddSingleton<IStartupFilter>(new RemoteAddressStartupFilter(() => RemoteAddress)));
        builder.ConfigureLogging(logging => logging.AddProvider(_startupFailure));
    }

    /// <summary>
    /// With minimal hosting the app starts its own host; when that start fails, the app disposes the host,
    /// and if that happens before WebApplicationFactory looks at it, the factory reports only an
    /// ObjectDisposedException. The host logged the real failure first: surface that one.
    /// </summary>
    protected override IHost CreateHost(IHostBuilder builder)
    {
        try
        {
            return base.CreateHost(builder);
        }
        catch (ObjectDisposedException disposed) when (_startupFailure.First is { } failure)
        {
            throw new InvalidOperationException($"The host failed to start: {failure.Message}", new AggregateException(failure, disposed));
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && OwnsData)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A test that failed may still hold the file; the temp folder is cleaned by the OS.
            }
        }
    }

    private sealed class RemoteAddressStartupFilter(Func<IPAddress> address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address();
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
