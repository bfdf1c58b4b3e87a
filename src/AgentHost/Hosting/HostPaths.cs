namespace AgentHost.Hosting;

/// <summary>
/// Resolves configured relative paths. `dotnet run --project src/AgentHost` keeps the caller's working
/// directory as content root, so a default such as "policies" is looked up there first and then in the
/// parent folders, which finds the repository's policies/ from the repository root or from src/AgentHost.
/// </summary>
public static class HostPaths
{
    private const int ParentLevelsSearched = 4;

    public static string Resolve(string contentRoot, string configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }

        var candidate = new DirectoryInfo(contentRoot);
        for (var level = 0; candidate is not null && level <= ParentLevelsSearched; level++, candidate = candidate.Parent)
        {
            var path = Path.Combine(candidate.FullName, configured);
            if (File.Exists(path) || Directory.Exists(path))
            {
                return path;
            }
        }

        return Path.Combine(contentRoot, configured);
    }
}
