using System.Reflection;
using System.Text.RegularExpressions;
using AgentHost.Core.Storage;

namespace AgentHost.Tests.Storage;

/// <summary>Every migration is one file (Storage/Migrations/M0NN_Name.cs) with both dialects, listed once, in order.</summary>
public sealed partial class MigrationListTests
{
    [Fact]
    public void Versions_AreUnique_AndContiguousFromOne()
    {
        Schema.Migrations.Select(m => m.Version).ShouldBe(Enumerable.Range(1, Schema.Migrations.Count));
    }

    [Fact]
    public void EveryMigration_HasANameAndBothDialects()
    {
        Schema.Migrations.ShouldAllBe(m => !string.IsNullOrWhiteSpace(m.Name) && !string.IsNullOrWhiteSpace(m.Sqlite) && !string.IsNullOrWhiteSpace(m.Postgres));
    }

    [Fact]
    public void EveryMigrationClass_CarriesItsOwnNumber_AndIsListed()
    {
        var classes = typeof(Schema).Assembly.GetTypes()
            .Where(t => t.Namespace == "AgentHost.Core.Storage.Migrations" && MigrationClass().IsMatch(t.Name))
            .ToList();

        var declared = classes.Select(t => (Number: int.Parse(MigrationClass().Match(t.Name).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
            Migration: (Migration)t.GetProperty("Migration", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!)).ToList();

        declared.Count.ShouldBe(Schema.Migrations.Count, "one class per migration, each listed in Schema.Migrations");
        declared.ShouldAllBe(d => d.Number == d.Migration.Version);
        declared.Select(d => d.Migration).ShouldBe(Schema.Migrations, ignoreOrder: true);
    }

    [GeneratedRegex(@"^M(\d{3})_[A-Z]\w*$", RegexOptions.CultureInvariant)]
    private static partial Regex MigrationClass();
}
