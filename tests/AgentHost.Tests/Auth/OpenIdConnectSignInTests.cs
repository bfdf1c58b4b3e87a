using System.Security.Claims;
using AgentHost.Auth;
using AgentHost.Core.Employees;

namespace AgentHost.Tests.Auth;

/// <summary>Which employee a provider's claims name, tried with the spellings and combinations an attacker would send.</summary>
public sealed class OpenIdConnectSignInTests
{
    // The test directory (alice an employee, root an admin), loaded as the host loads it.
    private static readonly EmployeeDirectory Directory =
        DirectoryFileLoader.Load(Path.Combine(RepositoryRoot.Path, "src", "AgentHost", "directory.yaml")).Directory!;

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("ALICE@EXAMPLE.COM")]
    [InlineData("  Alice@Example.com ")]
    public void Email_InAnyCase_NamesTheEmployee(string email) =>
        Map(("email", email), ("email_verified", "true")).Employee!.Email.ShouldBe("alice@example.com");

    [Theory]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData("FALSE")]
    public void UnverifiedEmail_IsRefused(string verified) =>
        Map(("email", "root@example.com"), ("email_verified", verified)).Refusal.ShouldBe("the provider has not verified this e-mail address");

    [Fact]
    public void UnknownEmail_IsRefused_EvenIfPreferredUsernameNamesAnAdmin() =>
        Map(("email", "mallory@example.com"), ("preferred_username", "root@example.com")).Employee.ShouldBeNull();

    [Fact]
    public void TwoDifferentEmails_AreRefused() =>
        Map(("email", "mallory@example.com"), ("email", "root@example.com")).Refusal.ShouldBe("the provider sent more than one e-mail address");

    [Fact]
    public void PreferredUsername_IsUsedOnlyWithoutEmail_AndOnlyWhenAccepted()
    {
        Map(("preferred_username", "Root@Example.com")).Employee!.Email.ShouldBe("root@example.com");
        OpenIdConnectSignIn.Map(Principal(("preferred_username", "root@example.com")), Directory, acceptPreferredUsername: false).Employee.ShouldBeNull();
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void EmptyClaims_NameNobody(string value) =>
        Map(("email", value), ("preferred_username", value), ("sub", "x")).Employee.ShouldBeNull();

    private static (Employee? Employee, string? Claimed, string? Refusal) Map(params (string Type, string Value)[] claims) =>
        OpenIdConnectSignIn.Map(Principal(claims), Directory);

    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "oidc"));
}
