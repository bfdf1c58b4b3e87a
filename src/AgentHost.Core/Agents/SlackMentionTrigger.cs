namespace AgentHost.Core.Agents;

/// <summary>
/// A mention of the bot in one of these channels starts a run with the message as input and the person
/// who mentioned it as requester. With <see cref="DirectMessages"/>, the owner's direct messages to the
/// bot start it too (only the owner's: a DM is a private request).
/// </summary>
public sealed record SlackMentionTrigger(IReadOnlyList<string>? Channels = null, bool DirectMessages = false);
