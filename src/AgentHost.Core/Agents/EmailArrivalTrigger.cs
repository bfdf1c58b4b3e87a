namespace AgentHost.Core.Agents;

/// <summary>
/// Each new message in one of these mail folders starts one run. The run's input names the folder and
/// the message id only: the message itself is read with email.read_message, whose result is marked
/// untrusted, so nothing a sender wrote reaches the model as the requester's words.
/// </summary>
public sealed record EmailArrivalTrigger(IReadOnlyList<string>? Folders = null);
