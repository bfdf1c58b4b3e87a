using MailKit;

namespace AgentHost.Plugins.Email.Mailbox;

/// <summary>The flags an agent may set or clear: words a model uses, mapped to IMAP system flags.</summary>
public static class MailFlag
{
    private static readonly Dictionary<string, (MessageFlags Flag, bool Add)> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["flagged"] = (MessageFlags.Flagged, true),
        ["important"] = (MessageFlags.Flagged, true),
        ["unflagged"] = (MessageFlags.Flagged, false),
        ["not_important"] = (MessageFlags.Flagged, false),
        ["read"] = (MessageFlags.Seen, true),
        ["seen"] = (MessageFlags.Seen, true),
        ["unread"] = (MessageFlags.Seen, false),
        ["unseen"] = (MessageFlags.Seen, false),
        ["answered"] = (MessageFlags.Answered, true),
        ["unanswered"] = (MessageFlags.Answered, false),
    };

    public static IEnumerable<string> Known => Words.Keys.Order(StringComparer.Ordinal);

    public static bool TryParse(string? word, out MessageFlags flag, out bool add)
    {
        if (word is not null && Words.TryGetValue(word.Trim(), out var entry))
        {
            (flag, add) = entry;
            return true;
        }

        (flag, add) = (MessageFlags.None, false);
        return false;
    }
}
