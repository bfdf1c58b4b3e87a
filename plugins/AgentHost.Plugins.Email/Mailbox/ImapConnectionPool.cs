using System.Collections.Concurrent;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Plugins.Email.Mailbox;

/// <summary>
/// A few logged-in IMAP connections shared by every run and the arrival trigger: logging in per tool
/// call would cost several round trips and trip the server's per-user connection limits. A connection
/// that broke is thrown away, and the next lease dials a fresh one.
/// </summary>
public sealed partial class ImapConnectionPool(IOptions<EmailOptions> options, ILogger<ImapConnectionPool> logger) : IAsyncDisposable
{
    private readonly ConcurrentBag<ImapClient> _idle = [];
    private readonly SemaphoreSlim _slots = new(options.Value.MaxImapConnections, options.Value.MaxImapConnections);
    private long _connects;

    /// <summary>Connections dialled so far; a healthy pool dials few.</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>
    /// Runs <paramref name="operation"/> on a logged-in connection. When a pooled connection turns out
    /// dead, an operation that is safe to repeat gets one more try on a fresh one; a write does not,
    /// because the server may have carried it out before the connection dropped.
    /// </summary>
    public async Task<T> UseAsync<T>(Func<ImapClient, CancellationToken, Task<T>> operation, bool repeatable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await _slots.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var (client, fresh) = await LeaseAsync(cancellationToken);
                try
                {
                    var result = await operation(client, cancellationToken);
                    _idle.Add(client);
                    return result;
                }
                catch (Exception ex) when (IsConnectionLoss(ex))
                {
                    await DiscardAsync(client);
                    LogConnectionLost(logger, ex.GetType().Name);
                    if (!repeatable || fresh || attempt > 1)
                    {
                        throw new MailServiceException($"the connection to the IMAP server {Server} was lost{(repeatable ? string.Empty : "; the change may or may not have been made")}", ex);
                    }
                }
                catch
                {
                    // A protocol-level refusal (no such folder or message) leaves the connection usable.
                    if (client.IsConnected)
                    {
                        _idle.Add(client);
                    }
                    else
                    {
                        await DiscardAsync(client);
                    }

                    throw;
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private string Server => $"{options.Value.Imap.Host}:{options.Value.Imap.Port}";

    private async Task<(ImapClient Client, bool Fresh)> LeaseAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var pooled))
        {
            if (pooled.IsConnected && pooled.IsAuthenticated)
            {
                return (pooled, false);
            }

            await DiscardAsync(pooled);
        }

        return (await ConnectAsync(cancellationToken), true);
    }

    private async Task<ImapClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var client = new ImapClient { Timeout = settings.TimeoutSeconds * 1000 };
        Interlocked.Increment(ref _connects);
        try
        {
            await client.ConnectAsync(settings.Imap.Host!, settings.Imap.Port, settings.Imap.Security.ToMailKit(), cancellationToken);
            await client.AuthenticateAsync(settings.Imap.User!, settings.Imap.Password ?? string.Empty, cancellationToken);
            return client;
        }
        catch (AuthenticationException ex)
        {
            client.Dispose();
            throw new MailServiceException($"the IMAP server {Server} refused the login of '{settings.Imap.User}'; check Email:Imap:User and Email:Imap:Password", ex);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException or SslHandshakeException or ImapProtocolException)
        {
            client.Dispose();
            throw new MailServiceException($"the IMAP server {Server} cannot be reached: {ex.Message}", ex);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static bool IsConnectionLoss(Exception ex) =>
        ex is ServiceNotConnectedException or ServiceNotAuthenticatedException or IOException or SocketException or ImapProtocolException;

    private static async Task DiscardAsync(ImapClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await client.DisconnectAsync(true, quick.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ImapProtocolException or ServiceNotConnectedException)
        {
            // Already gone; there is nothing left to close politely.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var client))
        {
            await DiscardAsync(client);
        }

        _slots.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An IMAP connection was lost ({Error}); it was discarded")]
    private static partial void LogConnectionLost(ILogger logger, string error);
}
