namespace AgentHost.Core.Employees;

/// <summary>The roles of the user directory. Every employee has <see cref="Employee"/> implicitly.</summary>
public static class Roles
{
    public const string Employee = "employee";
    public const string Approver = "approver";
    public const string Security = "security";
    public const string Admin = "admin";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Employee, Approver, Security, Admin };
}
