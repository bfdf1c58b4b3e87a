namespace AgentHost.Tests.Architecture;

/// <summary>
/// Core's dependency rule as a reviewed list (the idea of Polly's AssemblyDependencies.txt): Core never
/// references ASP.NET Core, Semantic Kernel, Hangfire or a plugin, and a new reference is a decision made
/// in review, not a side effect of a using directive.
/// </summary>
public sealed class CoreDependencyTests
{
    private const string ListFile = "tests/AgentHost.Tests/Architecture/CoreDependencies.txt";

    [Fact]
    public void CoreReferences_OnlyTheReviewedAssemblies()
    {
        var actual = typeof(AgentHost.Core.Agents.AgentStore).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Order(StringComparer.Ordinal)
            .ToList();
        var reviewed = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, ListFile))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .ToHashSet(StringComparer.Ordinal);

        var added = actual.Where(a => !reviewed.Contains(a)).ToList();
        var gone = reviewed.Where(r => !actual.Contains(r, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();
        added.ShouldBeEmpty(
            $"AgentHost.Core now references {string.Join(", ", added)}. Core must stay free of ASP.NET Core, Semantic Kernel, "
            + $"Hangfire and plugins; if the new reference is intended, add its name to {ListFile} in the same commit so a reviewer sees it.");
        gone.ShouldBeEmpty($"AgentHost.Core no longer references {string.Join(", ", gone)}: remove the line(s) from {ListFile}.");
    }

    [Fact]
    public void ReviewedList_NamesNoForbiddenAssembly()
    {
        var forbidden = new[] { "Microsoft.AspNetCore", "Microsoft.SemanticKernel", "Hangfire", "AgentHost.Plugins", "AgentHost," };
        var reviewed = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, ListFile)).Where(l => !l.StartsWith('#')).ToList();
        reviewed.ShouldNotContain(l => forbidden.Any(f => (l + ",").StartsWith(f, StringComparison.Ordinal)), "the list is no place to allow what the dependency rule forbids");
    }
}
