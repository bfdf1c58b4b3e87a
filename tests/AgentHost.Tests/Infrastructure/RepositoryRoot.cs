namespace AgentHost.Tests.Infrastructure;

/// <summary>The checkout the tests run from: the folder holding AgentHost.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AgentHost.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AgentHost.sln not found above " + AppContext.BaseDirectory);
    }
}
