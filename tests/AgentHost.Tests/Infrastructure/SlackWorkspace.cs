using AgentHost.Tests.Emulators;

namespace AgentHost.Tests.Infrastructure;

/// <summary>
/// The Slack workspace the host tests share: the Slack emulator with the directory's people
/// (src/AgentHost/directory.yaml maps them by these ids) and the settings that point a host at it.
/// </summary>
public static class SlackWorkspace
{
    public const string SigningSecret = "test-signing-secret-5b1e0c7a9d";
    public const string ApprovalChannel = "C0APPROVE";
    public const string OpsChannel = "C0OPS";
    public const string GeneralChannel = "C0GENERAL";

    /// <summary>Slack user ids by first name; "stranger" is in Slack but not in the directory.</summary>
    public static IReadOnlyDictionary<string, string> UserIds { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["alice"] = "U0ALICE01",
        ["bob"] = "U0BOB0001",
        ["carol"] = "U0CAROL01",
        ["dave"] = "U0DAVE001",
        ["sam"] = "U0SAM0001",
        ["root"] = "U0ROOT001",
        ["stranger"] = "U0STRANGER",
    };

    /// <summary>
    /// Starts the emulator with the approval, ops and general channels and <paramref name="people"/> as
    /// users (name@example.com); <paramref name="teamMembers"/> join #ops and #general, since an agent's
    /// channels must be its owner's (OwnerAuthority).
    /// </summary>
    public static async Task<SlackEmulator> StartAsync(IEnumerable<string> people, IEnumerable<string> teamMembers)
    {
        var slack = await SlackEmulator.StartAsync(ApprovalChannel, OpsChannel, GeneralChannel);
        foreach (var name in people)
        {
            slack.AddUser(UserIds[name], name, $"{name}@example.com");
        }

        foreach (var name in teamMembers)
        {
            slack.Join(OpsChannel, UserIds[name]);
            slack.Join(GeneralChannel, UserIds[name]);
        }

        return slack;
    }

    /// <summary>The settings that connect a host's Slack plugin and endpoints to <paramref name="slack"/>.</summary>
    public static Dictionary<string, string?> HostSettings(SlackEmulator slack)
    {
        ArgumentNullException.ThrowIfNull(slack);
        return new(StringComparer.Ordinal)
        {
            ["Slack:BotToken"] = SlackEmulator.BotToken,
            ["Slack:SigningSecret"] = SigningSecret,
            ["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Slack:ApprovalChannel"] = ApprovalChannel,
        };
    }
}
