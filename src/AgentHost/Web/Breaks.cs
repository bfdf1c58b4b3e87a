using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace AgentHost.Web;

/// <summary>
/// Long tool, rule and event names (slack.read_channel, builtin:tool-unavailable) may break after a dot,
/// an underscore, a colon or a slash: a narrow column wraps them at a word's seam, never after every letter.
/// </summary>
public static class Breaks
{
    public static IHtmlContent At(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return HtmlString.Empty;
        }

        var html = new StringBuilder(text.Length + 16);
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '.' or '_' or ':' or '/' && i < text.Length - 1)
            {
                html.Append(HtmlEncoder.Default.Encode(text[start..(i + 1)])).Append("<wbr>");
                start = i + 1;
            }
        }

        html.Append(HtmlEncoder.Default.Encode(text[start..]));
        return new HtmlString(html.ToString());
    }

    /// <summary>"1 effect", "2 effects": a count with its noun in the right number.</summary>
    public static string Count(long count, string singular, string? plural = null) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{count:N0} {(count == 1 ? singular : plural ?? singular + "s")}");
}
