using AgentHost.Core.Employees;
using AgentHost.Core.Policies.Loading;
using AgentHost.Core.Policies.Testing;
using AgentHost.Hosting;
using AgentHost.Tools;

namespace AgentHost.Cli;

/// <summary>`policy check` and `policy test`: what a reviewer runs on a policy change before it merges.</summary>
public static class PolicyCommands
{
    public static int Check(CommandLineArguments args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var directory = PolicyDirectory(args);
        var result = PolicyLoader.LoadDirectory(directory, BuiltInPlugins.Catalog());
        if (result.PolicySet is not { } set)
        {
            foreach (var problem in result.Errors)
            {
                error.WriteLine(problem);
            }

            error.WriteLine($"{result.Errors.Count} error(s) in {directory}");
            return 1;
        }

        output.WriteLine($"{set.Rules.Count} rules in {set.Files.Count} files load; policy hash {set.Hash}");
        return 0;
    }

    public static int Test(CommandLineArguments args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var directory = PolicyDirectory(args);
        var policies = PolicyLoader.LoadDirectory(directory, BuiltInPlugins.Catalog());
        var (cases, problems) = PolicyTestSuite.LoadDirectory(args.Get("tests") ?? Path.Combine(directory, "tests"));
        var people = DirectoryFileLoader.Load(HostPaths.Resolve(Directory.GetCurrentDirectory(), args.Get("directory") ?? "src/AgentHost/directory.yaml"));
        foreach (var problem in policies.Errors.Select(e => e.ToString()).Concat(problems.Select(e => e.ToString())).Concat(people.Errors.Select(e => e.ToString())))
        {
            error.WriteLine(problem);
        }

        if (policies.PolicySet is not { } set || people.Directory is not { } facts || problems.Count > 0)
        {
            return 1;
        }

        var results = cases.Select(c => c.Run(set, facts)).ToList();
        foreach (var result in results)
        {
            (result.Passed ? output : error).WriteLine(result);
        }

        var failed = results.Count(r => !r.Passed);
        output.WriteLine($"{results.Count - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private static string PolicyDirectory(CommandLineArguments args) =>
        HostPaths.Resolve(Directory.GetCurrentDirectory(), args.Get("path") ?? "policies");
}
