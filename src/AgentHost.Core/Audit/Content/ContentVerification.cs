namespace AgentHost.Core.Audit.Content;

/// <summary>
/// The verdict on the trail's content: how many pieces were rehashed, how many were removed under
/// retention (an audited content.removed names each), and the first piece that fails.
/// </summary>
public sealed record ContentVerification(long Checked, long RemovedUnderRetention, long? FirstInvalidSeq, string? Hash, string? Reason)
{
    public bool Valid => Reason is null;
}
