using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AgentHost.Audit.Siem;
using Microsoft.Extensions.DependencyInjection;

namespace AgentHost.Tests.Siem;

/// <summary>
/// Syslog over TLS (RFC 5425) to a receiver whose certificate a private CA signed (TlsCaFile): the stream
/// arrives octet-counted inside TLS; a destination that expects another server name never sends a byte.
/// </summary>
public sealed class SyslogTlsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("agenthost-siem-tls-").FullName;

    [Fact]
    public async Task PrivateCa_TheStreamArrivesOverTls_AndAnotherServerNameIsRefused()
    {
        var (caFile, serverCertificate) = Certificates();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var received = new ConcurrentQueue<ReceivedEvent>();
        using var stop = new CancellationTokenSource();
        var accepting = AcceptAsync(listener, serverCertificate, received, stop.Token);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var settings = SiemHosts.Syslog(port, SiemHosts.NewHostName(), "tls-ok");
        settings["SiemStream:Destinations:0:Tls"] = "true";
        settings["SiemStream:Destinations:0:TlsServerName"] = "syslog.test";
        settings["SiemStream:Destinations:0:TlsCaFile"] = caFile;
        settings["SiemStream:Destinations:1:Name"] = "tls-wrong-name";
        settings["SiemStream:Destinations:1:Kind"] = "syslog";
        settings["SiemStream:Destinations:1:Host"] = "127.0.0.1";
        settings["SiemStream:Destinations:1:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["SiemStream:Destinations:1:Tls"] = "true";
        settings["SiemStream:Destinations:1:TlsServerName"] = "other.test";
        settings["SiemStream:Destinations:1:TlsCaFile"] = caFile;
        using var host = new AgentHostFactory(settings);

        await SiemHosts.AppendAsync(host, 200);
        var trail = await SiemHosts.TrailAsync(host);
        await Eventually.TrueAsync(() => SiemHosts.Distinct(received).Count >= trail.Count, "the trail at the TLS receiver");
        var status = await Eventually.ReturnsAsync(
            () => host.Services.GetRequiredService<SiemStreamStatus>().ReadAsync(CancellationToken.None),
            s => s[1].Cursor?.LastError is not null,
            "the refused handshake recorded");

        SiemHosts.Distinct(received).Take(trail.Count).ShouldBe(trail);
        received.Count.ShouldBe(SiemHosts.Distinct(received).Count, "the destination expecting other.test sent nothing");
        status[1].Cursor!.LastSeq.ShouldBe(0);
        await stop.CancelAsync();
        await accepting;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task AcceptAsync(TcpListener listener, X509Certificate2 certificate, ConcurrentQueue<ReceivedEvent> received, CancellationToken cancellationToken)
    {
        var connections = new List<Task>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                connections.Add(ReadAsync(client, certificate, received, cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
            await Task.WhenAll(connections);
        }
    }

    private static async Task ReadAsync(TcpClient client, X509Certificate2 certificate, ConcurrentQueue<ReceivedEvent> received, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, cancellationToken);
                var buffered = new BufferedStream(tls);
                while (await FrameAsync(buffered, cancellationToken) is { } message)
                {
                    var bom = message.AsSpan().IndexOf([(byte)0xEF, (byte)0xBB, (byte)0xBF]);
                    received.Enqueue(ReceivedEvent.Parse(Encoding.UTF8.GetString(message, bom + 3, message.Length - bom - 3)));
                }
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
            {
                // A refused handshake (the wrong server name) or the host going away.
            }
        }
    }

    /// <summary>One RFC 6587 octet-counted frame: digits, a space, that many bytes; null at the end of the stream.</summary>
    private static async Task<byte[]?> FrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = 0;
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }

            if (one[0] == (byte)' ')
            {
                break;
            }

            length = (length * 10) + (one[0] - '0');
        }

        var message = new byte[length];
        await stream.ReadExactlyAsync(message, cancellationToken);
        return message;
    }

    private (string CaFile, X509Certificate2 Server) Certificates()
    {
        var now = TimeProvider.System.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=AgentHost test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=syslog.test", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("syslog.test");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = serverRequest.Create(ca, now.AddHours(-1), now.AddHours(12), [1, 2, 3, 4]);
        using var withKey = issued.CopyWithPrivateKey(serverKey);

        var caFile = Path.Combine(_directory, "ca.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem());

        // SslStream on Linux wants a certificate whose key it can reach: a PKCS#12 round trip gives it one.
        return (caFile, X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null));
    }
}
