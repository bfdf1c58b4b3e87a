using AgentHost.Core.Employees;
using AgentHost.Hosting;
using Microsoft.Extensions.Options;

namespace AgentHost.Employees;

public static class DirectoryRegistration
{
    public static WebApplicationBuilder AddUserDirectory(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DirectoryOptions>()
            .Bind(builder.Configuration.GetSection(DirectoryOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // A directory that does not load is a configuration error: refuse to start, naming file and line.
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DirectoryOptions>>().Value;
            var path = HostPaths.Resolve(sp.GetRequiredService<IHostEnvironment>().ContentRootPath, options.Path);
            var result = DirectoryFileLoader.Load(path);
            return result.Directory ?? throw new InvalidOperationException(
                "Directory:Path does not load: " + string.Join("; ", result.Errors));
        });
        builder.Services.AddSingleton<Core.Policies.IEmployeeFacts>(sp => sp.GetRequiredService<EmployeeDirectory>());
        return builder;
    }
}
