using System.Globalization;
using System.Xml.Linq;
using AgentHost.Core.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AgentHost.Auth;

/// <summary>
/// Data-protection keys in the store (migration 14), so that every web process of a deployment on
/// PostgreSQL reads the same key ring: a cookie issued by one process is accepted by the next.
/// </summary>
/// <remarks>
/// <see cref="IXmlRepository"/> is synchronous; the key ring is read once and then cached for hours, so
/// blocking a thread-pool thread on the store here (no synchronization context in ASP.NET Core) is rare.
/// </remarks>
public sealed class StoreXmlRepository(StoreDatabase database, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => ReadAsync(CancellationToken.None).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        WriteAsync(element, string.IsNullOrWhiteSpace(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName, CancellationToken.None).GetAwaiter().GetResult();
    }

    private async Task<IReadOnlyCollection<XElement>> ReadAsync(CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, name", null, cancellationToken)).Select(XElement.Parse)];

    // A key is written once and never changed (revocation writes a new element): a second writer of the
    // same name, racing at start-up, keeps the first. created_at stays the ISO text of migration 14.
    private Task<int> WriteAsync(XElement element, string name, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "INSERT INTO data_protection_keys (name, xml, created_at) VALUES (@name, @xml, @at) ON CONFLICT (name) DO NOTHING",
            new { name, xml = element.ToString(SaveOptions.DisableFormatting), at = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) },
            cancellationToken);
}
