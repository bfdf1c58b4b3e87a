using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AgentHost.Core.Audit;

namespace AgentHost.Audit.Siem;

/// <summary>
/// Syslog over one TCP connection (optionally TLS), kept open between batches and opened again after any
/// failure. A syslog receiver sends nothing on this connection but TLS records (session tickets), so a
/// reader drains it and marks it closed when the receiver closes or resets it: checked before each batch
/// and by <see cref="ConfirmSent"/>.
/// </summary>
public sealed class SyslogSender(SiemDestinationOptions destination, TimeSpan timeout) : ISiemSender
{
    private readonly ArrayBufferWriter<byte> _batch = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _scratch = new(4 * 1024);
    private readonly string _hostName = SyslogFraming.Field(destination.HostName ?? Environment.MachineName, 255);
    private readonly int _processId = Environment.ProcessId;
    private Connection? _connection;

    public async Task SendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_connection is { Closed: true })
        {
            Close();
        }

        _batch.ResetWrittenCount();
        foreach (var e in events)
        {
            SyslogFraming.Append(_batch, e, destination.Facility, _hostName, _processId, _scratch);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            var connection = _connection ?? await ConnectAsync(limit.Token);
            await connection.Stream.WriteAsync(_batch.WrittenMemory, limit.Token);
            await connection.Stream.FlushAsync(limit.Token);
        }
        catch
        {
            Close();
            throw;
        }
    }

    public bool ConfirmSent()
    {
        if (_connection is { Closed: false })
        {
            return true;
        }

        Close();
        return false;
    }

    public ValueTask DisposeAsync()
    {
        Close();
        return ValueTask.CompletedTask;
    }

    private async Task<Connection> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(destination.Host!, destination.EffectivePort, cancellationToken);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (destination.Tls)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                await tls.AuthenticateAsClientAsync(TlsOptions(), cancellationToken);
                stream = tls;
            }

            _connection = new Connection(stream);
            return _connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private SslClientAuthenticationOptions TlsOptions()
    {
        var options = new SslClientAuthenticationOptions { TargetHost = destination.TlsServerName ?? destination.Host };
        if (destination.TlsCaFile is { } caFile)
        {
            // A private CA, trusted for this connection only, instead of the machine's store. Private CAs
            // seldom publish revocation lists, and an unreachable one would refuse every handshake: with a
            // CA file, revocation is not checked (docs/siem.md); with the system's roots it is.
            var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
            options.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { ca },
                RevocationMode = X509RevocationMode.NoCheck,
            };
        }

        return options;
    }

    private void Close()
    {
        _connection?.Stream.Dispose();
        _connection = null;
    }

    /// <summary>One connection and its reader: a read that ends (FIN) or fails (RST, disposal) means the receiver may not have kept what was sent.</summary>
    private sealed class Connection
    {
        private volatile bool _closed;

        public Connection(Stream stream)
        {
            Stream = stream;
            _ = DrainAsync();
        }

        public Stream Stream { get; }

        public bool Closed => _closed;

        private async Task DrainAsync()
        {
            var buffer = new byte[512];
            try
            {
                while (await Stream.ReadAsync(buffer) > 0)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
                // Reset or closed by us: either way the connection is over.
            }
            finally
            {
                _closed = true;
            }
        }
    }
}
