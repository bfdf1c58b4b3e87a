using System.Data.Common;
using System.Text.RegularExpressions;
using AgentHost.Core.Storage;

namespace AgentHost.Tests.Storage;

/// <summary>
/// What a migrated database holds, in words both dialects share, one line per fact: tables, columns
/// (type class, nullability, collation), primary keys, indexes (columns, unique, partial). Types are
/// compared by class: SQLite's INTEGER and PostgreSQL's INTEGER/BIGINT are all "integer".
/// </summary>
public static partial class SchemaShape
{
    public static async Task<IReadOnlySet<string>> ReadAsync(StoreDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenAsync(cancellationToken);
        return database.Dialect == StoreDialect.Sqlite ? await ReadSqliteAsync(connection, cancellationToken) : await ReadPostgresAsync(connection, cancellationToken);
    }

    private static async Task<IReadOnlySet<string>> ReadSqliteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        var tables = await RowsAsync(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", cancellationToken);
        foreach (var table in tables)
        {
            var name = (string)table[0]!;
            facts.Add($"table {name}");
            var definitions = ColumnDefinitions((string)table[1]!);
            var columns = await RowsAsync(connection, $"SELECT name, type, \"notnull\", pk, dflt_value FROM pragma_table_info('{name}')", cancellationToken);
            foreach (var column in columns)
            {
                var columnName = (string)column[0]!;
                // A primary key column counts as NOT NULL, as it does in PostgreSQL: SQLite's INTEGER PRIMARY KEY
                // is the rowid, and other key columns accept NULL only by a documented SQLite legacy quirk.
                var notNull = (long)column[2]! == 1 || (long)column[3]! > 0;
                var collation = definitions.TryGetValue(columnName, out var definition) && CollateClause().Match(definition) is { Success: true } m ? m.Groups[1].Value : null;
                facts.Add(Column(name, columnName, SqliteClass((string)column[1]!), notNull, collation, (string?)column[4]));
            }

            var key = columns.Where(c => (long)c[3]! > 0).OrderBy(c => (long)c[3]!).Select(c => (string)c[0]!).ToList();
            if (key.Count > 0)
            {
                facts.Add($"primary key {name} ({string.Join(", ", key)})");
            }

            var references = await RowsAsync(connection, $"SELECT id, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list('{name}') ORDER BY id, seq", cancellationToken);
            foreach (var reference in references.GroupBy(r => (long)r[0]!))
            {
                facts.Add($"foreign key {name} ({string.Join(", ", reference.Select(r => r[2]))}) references {reference.First()[1]} ({string.Join(", ", reference.Select(r => r[3]))})");
            }

            foreach (var index in await RowsAsync(connection, $"SELECT name, \"unique\", origin, partial FROM pragma_index_list('{name}')", cancellationToken))
            {
                var origin = (string)index[2]!;
                if (origin == "pk")
                {
                    continue;
                }

                var keys = await RowsAsync(connection, $"SELECT cid, name, coll FROM pragma_index_xinfo('{index[0]}') WHERE key = 1 ORDER BY seqno", cancellationToken);
                var parts = keys.Select(k => ((long)k[0]! == -2 ? "<expression>" : (string)k[1]!) + Collated((string?)k[2])).ToList();
                facts.Add(Index(name, origin == "u" ? null : (string)index[0]!, parts, (long)index[1]! == 1, (long)index[3]! == 1));
            }
        }

        return facts;
    }

    private static async Task<IReadOnlySet<string>> ReadPostgresAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var table in await RowsAsync(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", cancellationToken))
        {
            facts.Add($"table {table[0]}");
        }

        const string columns = "SELECT table_name, column_name, data_type, is_nullable, collation_name, column_default FROM information_schema.columns WHERE table_schema = 'public'";
        foreach (var column in await RowsAsync(connection, columns, cancellationToken))
        {
            facts.Add(Column((string)column[0]!, (string)column[1]!, PostgresClass((string)column[2]!), (string)column[3]! == "NO", (string?)column[4], (string?)column[5]));
        }

        const string references = """
            SELECT t.relname, a.attname, f.relname, fa.attname, c.oid, k.n
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_class f ON f.oid = c.confrelid
            JOIN pg_namespace ns ON ns.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k (key, fkey, n)
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.key
            JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fkey
            WHERE c.contype = 'f' AND ns.nspname = 'public'
            ORDER BY c.oid, k.n
            """;
        foreach (var reference in (await RowsAsync(connection, references, cancellationToken)).GroupBy(r => Convert.ToInt64(r[4], System.Globalization.CultureInfo.InvariantCulture)))
        {
            facts.Add($"foreign key {reference.First()[0]} ({string.Join(", ", reference.Select(r => r[1]))}) references {reference.First()[2]} ({string.Join(", ", reference.Select(r => r[3]))})");
        }

        const string indexes = """
            SELECT t.relname, i.relname, x.indisunique, x.indisprimary, x.indpred IS NOT NULL,
                   EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype = 'u'),
                   ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) k)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public'
            """;
        foreach (var index in await RowsAsync(connection, indexes, cancellationToken))
        {
            var table = (string)index[0]!;
            var parts = ((string[])index[6]!).ToList();
            facts.Add((bool)index[3]! ? $"primary key {table} ({string.Join(", ", parts)})" : Index(table, (bool)index[5]! ? null : (string)index[1]!, parts, (bool)index[2]!, (bool)index[4]!));
        }

        return facts;
    }

    private static string Column(string table, string column, string typeClass, bool notNull, string? collation, string? defaultValue) =>
        $"column {table}.{column}: {typeClass}{(notNull ? " not null" : string.Empty)}{Collated(collation)}{Default(defaultValue)}";

    // PostgreSQL spells a default with its type ('{}'::text); the value is what both must agree on.
    private static string Default(string? value) => value is null ? string.Empty : $" default {CastSuffix().Replace(value, string.Empty)}";

    // A UNIQUE constraint's index is named by each dialect its own way; it is known by its columns.
    private static string Index(string table, string? name, IEnumerable<string> columns, bool unique, bool partial) =>
        $"{(unique ? "unique index" : "index")} {table}.{name ?? "(constraint)"} ({string.Join(", ", columns)}){(partial ? " partial" : string.Empty)}";

    private static string Collated(string? collation) =>
        collation is null || collation.Equals("BINARY", StringComparison.OrdinalIgnoreCase) || collation.Equals("default", StringComparison.OrdinalIgnoreCase)
            ? string.Empty
            : $" collate {collation.ToLowerInvariant()}";

    // SQLite's type affinity rules (https://sqlite.org/datatype3.html#determination_of_column_affinity), in order.
    private static string SqliteClass(string declared)
    {
        var type = declared.ToUpperInvariant();
        return type.Contains("INT", StringComparison.Ordinal) ? "integer"
            : type.Contains("CHAR", StringComparison.Ordinal) || type.Contains("CLOB", StringComparison.Ordinal) || type.Contains("TEXT", StringComparison.Ordinal) ? "text"
            : type.Length == 0 || type.Contains("BLOB", StringComparison.Ordinal) ? "blob"
            : type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal) ? "real"
            : type.Contains("BOOL", StringComparison.Ordinal) ? "bool"
            : $"numeric ({declared})";
    }

    private static string PostgresClass(string dataType) => dataType switch
    {
        "smallint" or "integer" or "bigint" => "integer",
        "text" or "character varying" or "character" => "text",
        "bytea" => "blob",
        "real" or "double precision" => "real",
        "boolean" => "bool",
        _ => $"other ({dataType})",
    };

    // Each column's words in CREATE TABLE (ALTER TABLE ADD COLUMN appends them there too), by column name.
    private static Dictionary<string, string> ColumnDefinitions(string createTable)
    {
        var body = createTable[(createTable.IndexOf('(', StringComparison.Ordinal) + 1)..createTable.LastIndexOf(')')];
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < body.Length; i++)
        {
            depth += body[i] == '(' ? 1 : body[i] == ')' ? -1 : 0;
            if (body[i] == ',' && depth == 0)
            {
                parts.Add(body[start..i]);
                start = i + 1;
            }
        }

        parts.Add(body[start..]);
        var definitions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts.Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            definitions.TryAdd(part.Split((char[])[' ', '\t', '\n', '\r'], 2)[0].Trim('"'), part);
        }

        return definitions;
    }

    private static async Task<List<object?[]>> RowsAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    [GeneratedRegex(@"::[a-z ]+$", RegexOptions.CultureInvariant)]
    private static partial Regex CastSuffix();

    [GeneratedRegex(@"\bCOLLATE\s+""?(\w+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CollateClause();
}
