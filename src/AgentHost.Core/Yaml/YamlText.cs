using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AgentHost.Core.Yaml;

/// <summary>Where and why a YAML text could not be read.</summary>
internal sealed record YamlSyntaxError(long Line, long Column, string Message);

/// <summary>
/// Loads a YAML text into a <see cref="YamlStream"/> without letting a malformed file escape as an
/// exception. YamlDotNet reports most syntax errors as <see cref="YamlException"/>, but its scanner
/// throws a bare <see cref="InvalidOperationException"/> on some inputs (found by fuzzing the policy
/// loader, see tests/AgentHost.Tests/Security/Fuzzing); that exception carries no position, so we
/// report the end of the last event the parser read, the best line known.
/// </summary>
internal static class YamlText
{
    public static YamlSyntaxError? TryLoad(YamlStream stream, string text)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            stream.Load(parser);
            return null;
        }
        catch (YamlException ex)
        {
            return new YamlSyntaxError(ex.Start.Line, ex.Start.Column, ex.InnerException?.Message ?? ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            var near = parser.Current?.End ?? Mark.Empty;
            return new YamlSyntaxError(near.Line, near.Column, $"malformed YAML after this point ({ex.Message})");
        }
    }
}
