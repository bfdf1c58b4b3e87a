using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.AspNetCore.Connections;

namespace AgentHost.Hosting;

/// <summary>
/// Where the host listens, and a clear word when it cannot. ASP.NET Core reads ASPNETCORE_URLS before
/// appsettings.json, so the file's "Urls" silently beat the variable an operator set; here the command
/// line (--urls) wins, then the Urls variable, then ASPNETCORE_URLS, then the files.
/// </summary>
public static class Listening
{
    public static WebApplicationBuilder AddListening(this WebApplicationBuilder builder, string[] args)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (Chosen(args, Environment.GetEnvironmentVariable) is { } urls)
        {
            builder.WebHost.UseUrls(urls);
        }

        return builder;
    }

    /// <summary>The addresses an operator chose outside the files (command line, then environment), or null.</summary>
    public static string? Chosen(string[] args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var commandLine = new ConfigurationBuilder().AddCommandLine(args ?? []).Build()["urls"];
        return new[] { commandLine, environment("Urls"), environment("URLS"), environment("ASPNETCORE_URLS") }
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));
    }

    /// <summary>
    /// Before the host starts anything: the first configured port another process holds, as one line for
    /// the operator; null when every port is free. Only the real entry point asks (a test's server has no
    /// port of its own), and a race after this check still ends in <see cref="Describe"/>.
    /// </summary>
    public static string? BusyPort(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (Assembly.GetEntryAssembly()?.GetName().Name != typeof(Listening).Assembly.GetName().Name)
        {
            return null;
        }

        foreach (var url in (app.Configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Endpoint(url) is not { } endpoint || endpoint.Port == 0)
            {
                continue;
            }

            try
            {
                var listener = new TcpListener(endpoint);
                listener.Start();
                listener.Stop();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return InUse(endpoint.Port);
            }
        }

        return null;
    }

    /// <summary>The one line for a bind that failed while starting, or null for any other failure.</summary>
    public static string? Describe(Exception exception, WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AddressInUseException)
            {
                var port = (app.Configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries)
                    .Select(url => Endpoint(url.Trim())?.Port).FirstOrDefault(p => p is > 0);
                return port is { } p ? InUse(p) : "a port this host should listen on is in use; set Urls";
            }
        }

        return null;
    }

    internal static string InUse(int port) => $"port {port} is in use; set Urls (or ASPNETCORE_URLS, or --urls) to a free one";

    private static IPEndPoint? Endpoint(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return null; // Kestrel reports a malformed address itself
        }

        var ip = address.Host is "*" or "+" or "[::]" ? IPAddress.Any
            : string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
            : IPAddress.TryParse(address.Host.Trim('[', ']'), out var parsed) ? parsed
            : null;
        return ip is null ? null : new IPEndPoint(ip, address.Port);
    }
}
