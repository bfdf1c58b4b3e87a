using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using AgentHost.Core.Audit;

namespace AgentHost.Audit.Siem;

/// <summary>
/// Syslog over one TCP connection (optionally TLS), kept open between batches and opened again after any
/// failure. A syslog receiver never writes back on this connection, so anything readable on the socket
/// means it closed or reset it: checked before each batch, and by <see cref="ConfirmSent"/>.
/// </summary>
public sealed class SyslogSender(SiemDestinationOptions destination, TimeSpan timeout) : ISiemSender
{
    private readonly ArrayBufferWriter<byte> _batch = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _scratch = new(4 * 1024);
    private readonly string _hostName = SyslogFraming.Field(destination.HostName ?? Environment.MachineName, 255);
    private readonly int _processId = Environment.ProcessId;
    private Socket? _socket;
    private Stream? _stream;

    public async Task SendAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (_socket is not null && !Open(_socket))
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
            var stream = _stream ?? await ConnectAsync(limit.Token);
            await stream.WriteAsync(_batch.WrittenMemory, limit.Token);
            await stream.FlushAsync(limit.Token);
        }
        catch
        {
            Close();
            throw;
        }
    }

    public bool ConfirmSent()
    {
        if (_socket is { } socket && Open(socket))
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

    /// <summary>False once the receiver sent FIN or RST (the socket turns readable) or the socket failed.</summary>
    private static bool Open(Socket socket)
    {
        try
        {
            return socket.Connected && !socket.Poll(0, SelectMode.SelectRead) && !socket.Poll(0, SelectMode.SelectError);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async Task<Stream> ConnectAsync(CancellationToken cancellationToken)
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

            _socket = socket;
            _stream = stream;
            return stream;
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
            // A private CA, trusted for this connection only, instead of the machine's store.
            var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
            options.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca } };
        }

        return options;
    }

    private void Close()
    {
        _stream?.Dispose();
        _socket?.Dispose();
        _stream = null;
        _socket = null;
    }
}
