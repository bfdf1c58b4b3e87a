namespace AgentHost.Core.Audit;

/// <summary>
/// How a reviewer names an actor: by e-mail, whatever role the person acted in. "sam@example.com",
/// "approver:Sam@Example.com" and "user:sam@example.com" all find employee:sam@example.com and
/// approver:sam@example.com; a name without "@" ("agent:ag_1", "system") is matched exactly.
/// </summary>
public static class AuditActorMatch
{
    /// <summary>The e-mail the filter names, lower-cased (the text after the last colon), or null when it names no e-mail.</summary>
    public static string? Email(string? actor)
    {
        if (string.IsNullOrWhiteSpace(actor) || !actor.Contains('@', StringComparison.Ordinal))
        {
            return null;
        }

        var email = actor[(actor.LastIndexOf(':') + 1)..].Trim();
        return email.Length == 0 ? null : email.ToLowerInvariant();
    }

    /// <summary>Whether a person filter names an e-mail (local@domain after any role prefix, no spaces inside).</summary>
    public static bool IsPerson(string? text)
    {
        var email = Email(text);
        var at = email?.IndexOf('@', StringComparison.Ordinal) ?? -1;
        return email is not null && at > 0 && at < email.Length - 1 && at == email.LastIndexOf('@') && !email.Any(char.IsWhiteSpace);
    }

    /// <summary>The e-mail as a LIKE pattern's literal text (escape character: backslash).</summary>
    public static string EscapeLike(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
    }
}
