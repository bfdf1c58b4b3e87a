using System.Text.RegularExpressions;

namespace AgentHost.Store;

/// <summary>
/// Who changes the schema. The application connects with `ConnectionStrings:AgentHost`; on PostgreSQL that
/// should be a role that may only insert into the audit trail. Migrations (and Hangfire's schema) need the
/// owner: `ConnectionStrings:AgentHostOwner`, given only to the process that migrates, which then grants
/// `Store:AppRole` what the application needs and no more. `Store:Migrate=false` makes a process that has
/// no owner credential leave the schema alone (a worker starting after the web process migrated).
/// </summary>
public sealed partial record StoreMigration(bool Migrates, string? OwnerConnectionString, string? AppRole)
{
    public static StoreMigration From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var owner = configuration.GetConnectionString("AgentHostOwner");
        var appRole = configuration["Store:AppRole"];
        if (!string.IsNullOrWhiteSpace(appRole) && !Identifier().IsMatch(appRole))
        {
            throw new InvalidOperationException("Store:AppRole must be a plain PostgreSQL role name (lower-case letters, digits, _)");
        }

        return new StoreMigration(
            !string.IsNullOrWhiteSpace(owner) || configuration.GetValue("Store:Migrate", true),
            string.IsNullOrWhiteSpace(owner) ? null : owner,
            string.IsNullOrWhiteSpace(appRole) ? null : appRole);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
