using MimeKit;

namespace AgentHost.Plugins.Email.Sending;

/// <summary>
/// Recipients are checked by the policy one value at a time, so each value must be exactly one plain
/// address: a display name, a group or a comma could hide a second recipient the policy never saw.
/// </summary>
public static class Addresses
{
    public static bool IsBareAddress(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 320 || value.Trim() != value)
        {
            return false;
        }

        return MailboxAddress.TryParse(ParserOptions.Default, value, out var mailbox)
            && string.IsNullOrEmpty(mailbox.Name)
            && string.Equals(mailbox.Address, value, StringComparison.Ordinal)
            && value.Count(c => c == '@') == 1
            && value.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at < value.Length - 1;
    }
}
