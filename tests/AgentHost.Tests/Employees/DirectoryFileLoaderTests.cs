using AgentHost.Core.Employees;

namespace AgentHost.Tests.Employees;

public sealed class DirectoryFileLoaderTests
{
    [Fact]
    public void Load_ShippedDirectory_HasTheDocumentedPeopleAndGroups()
    {
        var result = DirectoryFileLoader.Load(Path.Combine(RepositoryRoot.Path, "src", "AgentHost", "directory.yaml"));

        result.Errors.ShouldBeEmpty();
        var directory = result.Directory!;
        directory.FindByEmail("alice@example.com")!.Manager.ShouldBe("bob@example.com");
        directory.FindByEmail("dave@example.com")!.Manager.ShouldBe("bob@example.com");
        directory.HasRole("bob@example.com", Roles.Approver).ShouldBeTrue();
        directory.HasRole("alice@example.com", Roles.Approver).ShouldBeFalse();
        directory.HasRole("sam@example.com", Roles.Security).ShouldBeTrue();
        directory.HasRole("root@example.com", Roles.Admin).ShouldBeTrue();
        directory.MembersOf("team-leads").Select(e => e.Email).ShouldBe(["bob@example.com", "carol@example.com"], ignoreOrder: true);
        directory.MembersOf("deploy-approvers").Select(e => e.Email).ShouldBe(["bob@example.com", "carol@example.com"], ignoreOrder: true);
        directory.MembersOf("security-approvers").Select(e => e.Email).ShouldBe(["sam@example.com", "carol@example.com"], ignoreOrder: true);
        directory.DirectReportsOf("bob@example.com").Select(e => e.Email).ShouldBe(["alice@example.com", "dave@example.com"], ignoreOrder: true);
        directory.FindBySlackUserId(directory.FindByEmail("carol@example.com")!.SlackUserId!)!.Email.ShouldBe("carol@example.com");
    }

    [Fact]
    public void Parse_LookupIsCaseInsensitiveOnEmail()
    {
        var directory = DirectoryFileLoader.Parse("d.yaml", "employees:\n  - email: Ann@Example.com\n").Directory!;

        directory.FindByEmail("ann@example.com").ShouldNotBeNull();
        directory.HasRole("ann@example.com", Roles.Employee).ShouldBeTrue();
    }

    [Theory]
    [InlineData("employees:\n  - email: a@x.test\n    rolez: [admin]\n", 3, 5, "unknown key 'rolez'")]
    [InlineData("employees:\n  - email: a@x.test\n    roles: [wizard]\n", 3, 13, "unknown role 'wizard'")]
    [InlineData("employees:\n  - email: a@x.test\n  - email: a@x.test\n", 3, 5, "duplicate employee 'a@x.test'")]
    [InlineData("employees:\n  - email: a@x.test\n    manager: nobody@x.test\n", 2, 5, "manager 'nobody@x.test'")]
    [InlineData("employees:\n  - email: a@x.test\ngroups:\n  leads: [a@x.test, ghost@x.test]\n", 4, 21, "member 'ghost@x.test' of group 'leads'")]
    [InlineData("employees:\n  - name: No Email\n", 2, 5, "needs an 'email'")]
    [InlineData("employees: [\n", 2, 1, "")]
    [InlineData("people: []\n", 1, 1, "unknown key 'people'")]
    [InlineData("employees:\n  - email: a@x.test\nentitlements:\n  ghosts:\n    mailFolders: [INBOX]\n", 4, 3, "group 'ghosts', which is not in 'groups'")]
    [InlineData("employees:\n  - email: a@x.test\ngroups:\n  g: [a@x.test]\nentitlements:\n  g:\n    folders: [INBOX]\n", 7, 5, "unknown key 'folders'")]
    [InlineData("employees:\n  - email: a@x.test\ngroups:\n  g: [a@x.test]\nentitlements:\n  g:\n    recipientDomains: ['*.test']\n", 7, 24, "no wildcards")]
    public void Parse_BrokenFile_NamesLineAndColumn(string yaml, int line, int column, string message)
    {
        var result = DirectoryFileLoader.Parse("dir.yaml", yaml);

        result.Succeeded.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.File.ShouldBe("dir.yaml");
        (error.Line, error.Column).ShouldBe((line, column));
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void Parse_GitHubLoginAndEntitlements_AreTheUnionOfTheEmployeesGroups()
    {
        var directory = DirectoryFileLoader.Parse("d.yaml", """
            employees:
              - email: ann@x.test
                github: ann-gh
              - email: ben@x.test
            groups:
              ops: [ann@x.test]
              sec: [ann@x.test]
            entitlements:
              ops:
                mailFolders: [INBOX]
                recipientDomains: [partner.test]
              sec:
                mailFolders: [Security]
            """).Directory!;

        directory.FindByEmail("ann@x.test")!.GitHubLogin.ShouldBe("ann-gh");
        directory.FindByEmail("ben@x.test")!.GitHubLogin.ShouldBeNull();
        directory.EntitlementOf("ANN@x.test").MailFolders.ShouldBe(["INBOX", "Security"], ignoreOrder: true);
        directory.EntitlementOf("ann@x.test").RecipientDomains.ShouldBe(["partner.test"]);
        directory.EntitlementOf("ben@x.test").MailFolders.ShouldBeEmpty();
        directory.EntitlementOf("stranger@x.test").MailFolders.ShouldBeEmpty();
    }

    [Fact]
    public void Load_MissingFile_IsAnError()
    {
        var result = DirectoryFileLoader.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".yaml"));

        result.Succeeded.ShouldBeFalse();
        result.Errors.ShouldHaveSingleItem().Message.ShouldContain("not found");
    }
}
