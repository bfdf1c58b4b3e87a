using AgentHost.Core.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AgentHost.Auth;

/// <summary>
/// One key ring per deployment. ASP.NET Core's default keeps keys in the user's profile and names the
/// application after its content root, so two hosts run by one account from one checkout (a Development
/// host and an OpenIdConnect host) accepted each other's sign-in cookies. Here the application name
/// carries the mode (or a configured deployment name) and the keys live with the deployment's data: in
/// a folder next to the SQLite file, or in the store when the processes share PostgreSQL.
/// </summary>
public static class DataProtectionRegistration
{
    public const string KeysFolder = "keys";

    public static string ApplicationName(AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.DataProtection.ApplicationName)
            ? $"AgentHost:{options.Mode}"
            : options.DataProtection.ApplicationName.Trim();
    }

    public static WebApplicationBuilder AddDeploymentDataProtection(this WebApplicationBuilder builder, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName(options));
        builder.Services.AddOptions<KeyManagementOptions>().Configure<StoreDatabase, TimeProvider, ILoggerFactory>((keys, database, time, loggers) =>
            keys.XmlRepository = Repository(database, time, loggers));
        return builder;
    }

    /// <summary>Where this deployment's keys are: beside a SQLite file, else in the store's table.</summary>
    public static IXmlRepository Repository(StoreDatabase database, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database is SqliteDatabase { FilePath: var file } && file != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(file)) is { Length: > 0 } folder)
        {
            return new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(folder, KeysFolder)), loggers);
        }

        return new StoreXmlRepository(database, time);
    }
}
