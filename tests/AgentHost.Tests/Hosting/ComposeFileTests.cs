using System.Reflection;
using AgentHost.Hosting;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentHost.Tests.Hosting;

/// <summary>
/// docker-compose.yml cannot be run here (no Docker daemon), so what can be checked is: it parses, every
/// variable it passes to the host is a key the host reads, and every secret comes from a file.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string[] SecretWords = ["Password", "Secret", "Token", "ApiKey", "ConnectionStrings"];

    [Fact]
    public void EveryVariablePassedToTheHost_IsAKeyTheHostReads()
    {
        var known = KnownKeys();
        var unknown = HostServices().SelectMany(s => Environment(s.Service).Select(e => (Service: s.Name, Variable: e.Name)))
            .Where(e => !known.Contains(SecretFiles.Key(e.Variable)))
            .Select(e => $"{e.Service}: {e.Variable} ({SecretFiles.Key(e.Variable)})")
            .ToList();

        HostServices().Count.ShouldBe(3, "web and two workers");
        unknown.ShouldBeEmpty();
    }

    [Fact]
    public void Secrets_ComeFromFiles_NamedInTheServicesSecrets()
    {
        var root = Compose();
        var declared = ((YamlMappingNode)root["secrets"]).Children.Keys.Select(k => k.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, service) in HostServices())
        {
            var mounted = ((YamlSequenceNode)service["secrets"]).Children.Select(c => c.ToString()).ToHashSet(StringComparer.Ordinal);
            foreach (var (variable, value) in Environment(service))
            {
                if (variable.EndsWith(SecretFiles.Suffix, StringComparison.Ordinal))
                {
                    value.ShouldStartWith("/run/secrets/", customMessage: variable);
                    var secret = value["/run/secrets/".Length..];
                    mounted.ShouldContain(secret, $"{name} reads {secret} but does not mount it");
                    declared.ShouldContain(secret);
                }
                else
                {
                    SecretWords.ShouldNotContain(w => variable.Contains(w, StringComparison.Ordinal), $"{name}: {variable} is a secret written inline; use {variable}_FILE");
                }
            }
        }
    }

    [Fact]
    public void OnlyTheMigratingWebProcess_HoldsTheOwnerCredential()
    {
        var services = HostServices().ToDictionary(s => s.Name, s => Environment(s.Service).ToDictionary(e => e.Name, e => e.Value));

        services["web"].ShouldContainKey("ConnectionStrings__AgentHostOwner_FILE");
        services["web"]["Store__AppRole"].ShouldBe("agenthost_app");
        foreach (var worker in new[] { "worker1", "worker2" })
        {
            services[worker].ShouldNotContainKey("ConnectionStrings__AgentHostOwner_FILE");
            services[worker]["Store__Migrate"].ShouldBe("false");
        }
    }

    internal static YamlMappingNode Compose()
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docker-compose.yml")));
        var stream = new YamlStream();

        // The services share settings through anchors and merge keys (<<), which only the merging parser resolves.
        stream.Load(new MergingParser(new Parser(reader)));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    /// <summary>The services that run the host image (built from the Dockerfile).</summary>
    internal static List<(string Name, YamlMappingNode Service)> HostServices() =>
        ((YamlMappingNode)Compose()["services"]).Children
            .Select(s => (Name: s.Key.ToString(), Service: (YamlMappingNode)s.Value))
            .Where(s => s.Service.Children.ContainsKey(new YamlScalarNode("build")))
            .ToList();

    internal static List<(string Name, string Value)> Environment(YamlMappingNode service) =>
        ((YamlMappingNode)service["environment"]).Children.Select(e => (e.Key.ToString(), e.Value.ToString())).ToList();

    /// <summary>The keys of the options classes (nested classes as sub-sections) and the keys the host reads singly.</summary>
    private static HashSet<string> KnownKeys()
    {
        var keys = new HashSet<string>(ConfigurationKeys.Keys, StringComparer.OrdinalIgnoreCase);
        foreach (var (section, type) in ConfigurationKeys.Sections)
        {
            Add(keys, section, type);
        }

        return keys;
    }

    private static void Add(HashSet<string> keys, string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsClass && propertyType != typeof(string) && propertyType != typeof(Uri) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(propertyType))
            {
                Add(keys, key, propertyType);
            }
            else
            {
                keys.Add(key);
            }
        }
    }
}
