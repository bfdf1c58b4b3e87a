using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AgentHost.Core.Audit;

/// <summary>
/// What free-text search knows of an event: its words (type, actor and the string values of data, lower
/// case, without hashes and base64, at most <see cref="MaxTextLength"/> characters of text) and its filter
/// keys. A key is a kind prefix and the MD5 of the value (lower-cased where the filter ignores case): one
/// token of letters and digits whatever the value holds, so no value can split into or pose as another.
/// The search file's index (<see cref="AuditSearchIndexer"/>) and the scan of the unindexed tail both read
/// events through this type, so they cannot disagree. PostgreSQL computes the same from SQL (M025).
/// </summary>
public sealed record AuditSearchDocument(IReadOnlyList<string> Words, IReadOnlySet<string> Keys)
{
    public const int MaxTextLength = 100_000;

    public static AuditSearchDocument Of(string type, string actor, string? agentId, string? runId, string data)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(data);
        var keys = new HashSet<string>(StringComparer.Ordinal) { Key(AuditSearchKey.Type, type), Key(AuditSearchKey.Actor, actor) };
        AddKey(keys, AuditSearchKey.Agent, agentId);
        AddKey(keys, AuditSearchKey.Run, runId);
        if (actor.Contains('@', StringComparison.Ordinal))
        {
            keys.Add(Key(AuditSearchKey.Person, PersonOf(actor)));
        }

        var text = new StringBuilder(type).Append(' ').Append(actor);
        try
        {
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                AddKey(keys, AuditSearchKey.Function, StringMember(root, "function")?.ToLowerInvariant());
                AddKey(keys, AuditSearchKey.Decision, StringMember(root, "decision")?.ToLowerInvariant());
                AddKey(keys, AuditSearchKey.Rule, StringMember(root, "rule")?.ToLowerInvariant());
                if (root.TryGetProperty("rules", out var rules) && rules.ValueKind == JsonValueKind.Array)
                {
                    foreach (var rule in rules.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String))
                    {
                        keys.Add(Key(AuditSearchKey.Rule, rule.GetString()!.ToLowerInvariant()));
                    }
                }
            }

            AppendStrings(text, root);
        }
        catch (JsonException)
        {
            // Data is canonical JSON when the writer stored it; anything else is still searchable as text.
            text.Append(' ').Append(data);
        }

        var words = text.Length > MaxTextLength ? text.ToString(0, MaxTextLength) : text.ToString();
        return new AuditSearchDocument(Tokens(words), keys);
    }

    /// <summary>The words as the FTS table stores them: tokens separated by single spaces.</summary>
    public string WordText => string.Join(' ', Words);

    /// <summary>
    /// A filter key: the kind's prefix and the lower-case hex MD5 of the value's UTF-8. MD5 because
    /// PostgreSQL computes the same key in SQL with md5(); it names a value, it guards nothing: a forged
    /// collision could only add an event to a result, never hide one.
    /// </summary>
#pragma warning disable CA5351
    public static string Key(AuditSearchKey kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return KindPrefix(kind) + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(value)));
    }
#pragma warning restore CA5351

    /// <summary>The e-mail of an actor or a person filter, whatever the role prefix: the text after the last colon, trimmed, lower case.</summary>
    public static string PersonOf(string actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor[(actor.LastIndexOf(':') + 1)..].Trim().ToLowerInvariant();
    }

    public static string KindPrefix(AuditSearchKey kind) => kind switch
    {
        AuditSearchKey.Type => "zt",
        AuditSearchKey.Actor => "za",
        AuditSearchKey.Agent => "zg",
        AuditSearchKey.Run => "zn",
        AuditSearchKey.Person => "zp",
        AuditSearchKey.Function => "zf",
        AuditSearchKey.Decision => "zd",
        AuditSearchKey.Rule => "zr",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// Runs of letters, digits and private-use characters, lower case; everything else separates. The FTS
    /// table is given these tokens joined by spaces, so its tokenizer only ever splits on the spaces.
    /// </summary>
    public static IReadOnlyList<string> Tokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<string>();
        var start = -1;
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsTokenRune(rune))
            {
                start = start < 0 ? index : start;
            }
            else if (start >= 0)
            {
                tokens.Add(text[start..index].ToLowerInvariant());
                start = -1;
            }

            index += rune.Utf16SequenceLength;
        }

        if (start >= 0)
        {
            tokens.Add(text[start..].ToLowerInvariant());
        }

        return tokens;
    }

    /// <summary>Hex digests (32+ hex digits) and base64 blobs (40+ characters mixing upper, lower and digits) carry no words.</summary>
    public static bool IsOpaque(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length >= 32 && value.AsSpan().ContainsAnyExcept(Hex) is false)
        {
            return true;
        }

        var body = value.AsSpan().TrimEnd('=');
        return value.Length >= 40 && value.Length - body.Length <= 2 && !body.ContainsAnyExcept(Base64)
            && body.ContainsAnyInRange('A', 'Z') && body.ContainsAnyInRange('a', 'z') && body.ContainsAnyInRange('0', '9');
    }

    private static readonly System.Buffers.SearchValues<char> Hex = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly System.Buffers.SearchValues<char> Base64 = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-");

    private static bool IsTokenRune(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
            or UnicodeCategory.PrivateUse => true,
        _ => false,
    };

    private static void AppendStrings(StringBuilder text, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when text.Length < MaxTextLength:
                var value = element.GetString()!;
                if (!IsOpaque(value))
                {
                    text.Append(' ').Append(value);
                }

                break;
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    AppendStrings(text, member.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AppendStrings(text, item);
                }

                break;
        }
    }

    private static string? StringMember(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void AddKey(HashSet<string> keys, AuditSearchKey kind, string? value)
    {
        if (value is not null)
        {
            keys.Add(Key(kind, value));
        }
    }
}
