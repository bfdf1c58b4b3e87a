namespace AgentHost.Core.Storage.Migrations;

/// <summary>
/// Free-text search over the audit trail on PostgreSQL: audit_search_vector() computes the tsvector of an
/// event (its type, actor and the string values of its data, hashes and base64 left out, then filter keys
/// for the person, function, decision and rules, each 'z?' + md5 of the lower-cased value, as
/// <see cref="Audit.AuditSearchDocument"/> computes them for SQLite), and audit_search_vectors holds it
/// per seq under a GIN index. The table is filled behind the log by
/// <see cref="Audit.PostgresAuditSearchIndexer"/>, not by the audit insert: a generated column cost every
/// audit write ~0.1 ms of database CPU inside the durable commit (docs/benchmarks.md). Searches read the
/// table up to its highest seq and compute the function for the short tail above it. ASCII punctuation
/// becomes a space before the 'simple' parser runs, so "alice@example.com" is the words alice, example,
/// com, as in SQLite, rather than one e-mail token. Anything the function cannot read (data that is not
/// JSON jsonb accepts, such as a \u0000 escape) leaves the event unsearchable by text rather than failing
/// the indexer. SQLite keeps its full-text index in the search file (AuditSearchSchema), so it has
/// nothing to do here.
/// </summary>
internal static class M025_AuditFullText
{
    public static Migration Migration { get; } = new(25, "audit free-text search",
        Sqlite: "SELECT 1;",
        Postgres: """
            CREATE FUNCTION audit_search_vector(event_type text, actor text, data text) RETURNS tsvector
            LANGUAGE plpgsql IMMUTABLE AS $fn$
            DECLARE
                doc jsonb;
                words text;
                keys text[] := ARRAY[]::text[];
            BEGIN
                IF position('@' in actor) > 0 THEN
                    keys := keys || ('zp' || md5(lower(btrim(regexp_replace(actor, '^.*:', ''), E' \t\r\n'))));
                END IF;
                BEGIN
                    doc := data::jsonb;
                EXCEPTION WHEN others THEN
                    doc := NULL;
                END;
                IF doc IS NULL THEN
                    words := data;
                ELSE
                    SELECT string_agg(v, ' ') INTO words
                    FROM (SELECT s #>> '{}' AS v FROM jsonb_path_query(doc, 'strict $.**') AS s WHERE jsonb_typeof(s) = 'string') AS t
                    WHERE NOT (v ~ '^[0-9A-Fa-f]{32,}$'
                        OR (length(v) >= 40 AND v ~ '^[A-Za-z0-9+/_-]+={0,2}$' AND v ~ '[A-Z]' AND v ~ '[a-z]' AND v ~ '[0-9]'));
                    IF jsonb_typeof(doc) = 'object' THEN
                        IF jsonb_typeof(doc -> 'function') = 'string' THEN keys := keys || ('zf' || md5(lower(doc ->> 'function'))); END IF;
                        IF jsonb_typeof(doc -> 'decision') = 'string' THEN keys := keys || ('zd' || md5(lower(doc ->> 'decision'))); END IF;
                        IF jsonb_typeof(doc -> 'rule') = 'string' THEN keys := keys || ('zr' || md5(lower(doc ->> 'rule'))); END IF;
                        IF jsonb_typeof(doc -> 'rules') = 'array' THEN
                            keys := keys || ARRAY(SELECT 'zr' || md5(lower(r #>> '{}')) FROM jsonb_array_elements(doc -> 'rules') AS r WHERE jsonb_typeof(r) = 'string');
                        END IF;
                    END IF;
                END IF;
                RETURN to_tsvector('simple', regexp_replace(left(concat_ws(' ', event_type, actor, words), 100000), '[!-/:-@\[-`{-~]+', ' ', 'g'))
                    || array_to_tsvector(keys);
            EXCEPTION WHEN others THEN
                RETURN ''::tsvector;
            END
            $fn$;
            CREATE TABLE audit_search_vectors (seq BIGINT PRIMARY KEY, search_vector tsvector NOT NULL);
            CREATE INDEX ix_audit_search_vectors_search ON audit_search_vectors USING gin (search_vector);
            """);
}
