using System.Text;

namespace AgentHost.Core.Audit;

/// <summary>
/// A reviewer's free text, read as words, never as an index's query language: every word must occur (AND);
/// a word is split into tokens (<see cref="AuditSearchDocument.Tokens"/>) that must stand next to each other,
/// so "alice@example.com" finds the tokens alice, example, com in a row; "a quoted phrase" is one such
/// word; a word ending in * matches any token starting with its last token (at least
/// <see cref="MinPrefixLength"/> characters, shorter is a whole token). Nothing else is an operator:
/// quotes, dashes, colons, parentheses, NEAR, OR, AND and NOT are punctuation or plain words. Both stores'
/// query text is built from the tokens alone, which hold only letters and digits.
/// </summary>
public sealed record AuditTextQuery(IReadOnlyList<AuditTextQuery.Word> Words)
{
    public const int MaxLength = 500;
    public const int MinPrefixLength = 3;

    /// <summary>Tokens that must occur in a row; the last one as a prefix when <paramref name="Prefix"/>.</summary>
    public sealed record Word(IReadOnlyList<string> Tokens, bool Prefix);

    public bool IsEmpty => Words.Count == 0;

    public static AuditTextQuery Parse(string? text)
    {
        var words = new List<Word>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new AuditTextQuery(words);
        }

        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            int end;
            string span;
            if (text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                end = close < 0 ? text.Length : close + 1;
                span = text[(i + 1)..(close < 0 ? text.Length : close)];
            }
            else
            {
                end = i;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '"')
                {
                    end++;
                }

                span = text[i..end];
            }

            var prefix = span.EndsWith('*') || (end < text.Length && text[end] == '*');
            var tokens = AuditSearchDocument.Tokens(span);
            if (tokens.Count > 0)
            {
                words.Add(new Word(tokens, prefix && tokens[^1].Length >= MinPrefixLength));
            }

            i = end;
        }

        return new AuditTextQuery(words);
    }

    /// <summary>An FTS5 expression on the column <paramref name="column"/>: each word a quoted phrase, prefixes marked with *.</summary>
    public string ToFts5(string column) =>
        string.Join(" AND ", Words.Select(w => $"{column} : \"{string.Join(' ', w.Tokens)}\"{(w.Prefix ? " *" : "")}"));

    /// <summary>A tsquery for to_tsquery('simple', ...): each word its tokens joined by &lt;-&gt;, prefixes marked :*.</summary>
    public string ToTsQuery()
    {
        var text = new StringBuilder();
        foreach (var word in Words)
        {
            text.Append(text.Length == 0 ? "(" : " & (");
            for (var t = 0; t < word.Tokens.Count; t++)
            {
                text.Append(t == 0 ? "'" : " <-> '").Append(word.Tokens[t]).Append('\'');
            }

            text.Append(word.Prefix ? ":*)" : ")");
        }

        return text.ToString();
    }

    /// <summary>Whether the words of a document answer this query, as the FTS index would.</summary>
    public bool Matches(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return Words.All(w => Occurs(w, words));
    }

    private static bool Occurs(Word word, IReadOnlyList<string> words)
    {
        var n = word.Tokens.Count;
        for (var start = 0; start + n <= words.Count; start++)
        {
            var found = true;
            for (var t = 0; t < n && found; t++)
            {
                var last = t == n - 1;
                found = last && word.Prefix
                    ? words[start + t].StartsWith(word.Tokens[t], StringComparison.Ordinal)
                    : string.Equals(words[start + t], word.Tokens[t], StringComparison.Ordinal);
            }

            if (found)
            {
                return true;
            }
        }

        return false;
    }
}
