using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using AgentHost.Core.Storage;

namespace AgentHost.Tests.Storage;

/// <summary>A store that counts the commands run through it: a list that costs one query per row shows here.</summary>
public sealed class CountingDatabase(StoreDatabase inner) : StoreDatabase
{
    private int _commands;

    public int Commands => Volatile.Read(ref _commands);

    public override StoreDialect Dialect => inner.Dialect;

    public override string Description => inner.Description;

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        new CountingConnection(await inner.OpenAsync(cancellationToken), () => Interlocked.Increment(ref _commands));

    private sealed class CountingConnection(DbConnection inner, Action counted) : DbConnection
    {
        [AllowNull]
        public override string ConnectionString { get => inner.ConnectionString; set => inner.ConnectionString = value; }

        public override string Database => inner.Database;

        public override string DataSource => inner.DataSource;

        public override string ServerVersion => inner.ServerVersion;

        public override ConnectionState State => inner.State;

        public override void ChangeDatabase(string databaseName) => inner.ChangeDatabase(databaseName);

        public override void Close() => inner.Close();

        public override void Open() => inner.Open();

        protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => inner.BeginTransaction(isolationLevel);

        protected override DbCommand CreateDbCommand()
        {
            counted();
            return inner.CreateCommand();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            await base.DisposeAsync();
        }
    }
}
