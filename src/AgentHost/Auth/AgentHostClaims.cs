using System.Security.Claims;
using AgentHost.Core.Employees;

namespace AgentHost.Auth;

/// <summary>The claims every authenticated request carries, whatever the sign-in mechanism.</summary>
public static class AgentHostClaims
{
    public const string Group = "agenthost:group";

    public static ClaimsIdentity ForEmployee(Employee employee, string authenticationType)
    {
        ArgumentNullException.ThrowIfNull(employee);
        var identity = new ClaimsIdentity(authenticationType, ClaimTypes.Email, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Email, employee.Email));
        identity.AddClaim(new Claim(ClaimTypes.Name, employee.Name));
        foreach (var role in employee.Roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }

        foreach (var group in employee.Groups)
        {
            identity.AddClaim(new Claim(Group, group));
        }

        return identity;
    }

    public static string Email(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(ClaimTypes.Email) ?? throw new InvalidOperationException("authenticated user without an email claim");
    }
}
