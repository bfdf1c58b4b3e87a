namespace AgentHost.Runs.Conversation;

/// <summary>A run's conversation as the audit trail holds it, turn by turn.</summary>
public sealed record ConversationView(string RunId, IReadOnlyList<ConversationTurn> Turns, IReadOnlyList<ConversationToolResult> ToolResults, ConversationText? Output);

/// <summary>
/// One model call: how many messages were sent, those not sent before (the earlier ones are in the turns
/// above), and the reply. <see cref="Seq"/> is the model.called event that commits to all of it.
/// </summary>
public sealed record ConversationTurn(long Turn, long Seq, string? Model, long InputTokens, long OutputTokens, int Sent, IReadOnlyList<ConversationMessage> NewMessages, ConversationMessage? Reply);

/// <summary>A message; <see cref="Content"/> says whether its text is held, removed under retention, or missing.</summary>
public sealed record ConversationMessage(string Role, string? Text, IReadOnlyList<ConversationCall> Calls, IReadOnlyList<ConversationResult> Results, ConversationText Content);

public sealed record ConversationCall(string Id, string Function, string Arguments);

public sealed record ConversationResult(string CallId, string Function, ConversationText Result);

/// <summary>A tool's full result as its action.executed (or action.failed) event committed to it.</summary>
public sealed record ConversationToolResult(long Seq, string CallId, string Function, ConversationText Result);

/// <summary>
/// A piece of content: <see cref="Text"/> when held; <see cref="State"/> is "held", "removed" (retention
/// removed it, the hash stays in the trail) or "missing" (the trail names it but the store does not hold it:
/// verification fails). <see cref="OriginalBytes"/> is set when the text was capped.
/// </summary>
public sealed record ConversationText(string Sha256, long Bytes, long? OriginalBytes, string State, string? Text);
