using AgentHost.Core.Agents;
using AgentHost.Core.Employees;
using AgentHost.Core.Tools;
using AgentHost.Plugins.Email;
using AgentHost.Plugins.Email.Mailbox;
using MailKit;

namespace AgentHost.Agents.Pickers;

/// <summary>
/// Mail folders for the agent form: the shared mailbox's folders (IMAP LIST through the email plugin) that
/// the directory's entitlements give one of the owner's groups, the same rule saving applies. Nothing when
/// e-mail is not configured or the server did not answer (the field then takes typed names).
/// </summary>
public sealed partial class MailFolderPicker(IServiceProvider services, EmployeeDirectory directory, ToolCatalog catalog, ILogger<MailFolderPicker> logger)
{
    public async Task<IReadOnlyList<ScopeOption>?> UsableAsync(string owner, CancellationToken cancellationToken)
    {
        if (services.GetService<MailboxClient>() is not { } mailbox)
        {
            return null;
        }

        IReadOnlyList<string> folders;
        try
        {
            folders = await mailbox.FoldersAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is MailServiceException or IOException or ServiceNotConnectedException or MailKit.Net.Imap.ImapProtocolException or MailKit.Net.Imap.ImapCommandException)
        {
            LogListFailed(ex.GetType().Name);
            return null;
        }

        var entitled = directory.EntitlementOf(owner).MailFolders;
        return [.. folders
            .Where(f => entitled.Any(e => ScopeValues.Same(catalog, "email.folders", e, f)))
            .Select(f => new ScopeOption(f, f))];
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The mailbox did not list its folders for the agent form ({Error}); the form takes typed names")]
    private partial void LogListFailed(string error);
}
