using System.Text;

namespace AgentHost.Tests.Security.Fuzzing;

/// <summary>
/// A seeded mutation fuzzer in the style of AFL's havoc stage: it takes a valid input and flips, deletes,
/// duplicates, truncates and splices bytes, and inserts tokens the format cares about. The seed is fixed
/// so a CI failure reproduces byte for byte; the index of a failing execution is in the test's message.
/// We chose this over FsCheck because the interesting inputs are near-valid documents, which structure-
/// unaware generators rarely reach, and because it adds no package to the build.
/// </summary>
public sealed class Mutator(int seed, IReadOnlyList<string> tokens)
{
    private readonly Random _random = new(seed);

    public string Mutate(string input)
    {
        var text = new StringBuilder(input);
        var rounds = 1 + _random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            var at = text.Length == 0 ? 0 : _random.Next(text.Length);
            switch (_random.Next(8))
            {
                case 0 when text.Length > 0:
                    text[at] = (char)_random.Next(0, 128);
                    break;
                case 1 when text.Length > 0:
                    text.Remove(at, Math.Min(text.Length - at, 1 + _random.Next(16)));
                    break;
                case 2:
                    text.Insert(at, tokens[_random.Next(tokens.Count)]);
                    break;
                case 3 when text.Length > 0:
                    text.Length = at;
                    break;
                case 4 when text.Length > 0:
                    var length = Math.Min(text.Length - at, 1 + _random.Next(64));
                    text.Insert(_random.Next(text.Length), text.ToString(at, length));
                    break;
                case 5:
                    text.Insert(at, (char)_random.Next(0x80, 0xFFFF));
                    break;
                case 6 when text.Length > 0:
                    text[at] = text[at] switch { '{' => '[', '[' => '{', ':' => ',', '"' => '\'', '-' => ' ', _ => '\n' };
                    break;
                default:
                    text.Insert(at, new string(' ', _random.Next(1, 9)));
                    break;
            }
        }

        return text.ToString();
    }

    public byte[] MutateBytes(byte[] input)
    {
        var bytes = input.ToList();
        var rounds = 1 + _random.Next(4);
        for (var i = 0; i < rounds && bytes.Count > 0; i++)
        {
            var at = _random.Next(bytes.Count);
            switch (_random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)_random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + _random.Next(512)));
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes[at] ^= (byte)(1 << _random.Next(8));
                    break;
            }
        }

        return [.. bytes];
    }

    public int Next(int maxExclusive) => _random.Next(maxExclusive);
}
