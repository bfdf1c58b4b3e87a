using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace AgentHost.Web;

/// <summary>
/// Every table of every page scrolls inside its own box instead of widening the page: it is wrapped in a
/// div.table-scroll that the keyboard can reach (tabindex, so a keyboard user can scroll it too) and that
/// is named after the table's caption, or its column headings.
/// </summary>
[HtmlTargetElement("table")]
public sealed partial class ScrollingTableTagHelper : TagHelper
{
    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var content = (await output.GetChildContentAsync()).GetContent();
        output.Content.SetHtmlContent(content);
        var name = Text(Caption().Match(content)) is { Length: > 0 } caption ? caption
            : "Table of " + string.Join(", ", Heading().Matches(content).Select(Text).Where(h => h.Length > 0).Take(4));
        output.PreElement.SetHtmlContent($"<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{WebUtility.HtmlEncode(name)}\">");
        output.PostElement.SetHtmlContent("</div>");
    }

    private static string Text(Match match) =>
        match.Success ? WebUtility.HtmlDecode(Tags().Replace(match.Groups[1].Value, " ")).Trim() is var text ? Spaces().Replace(text, " ") : "" : "";

    [GeneratedRegex("<caption[^>]*>(.*?)</caption>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Caption();

    [GeneratedRegex("<th(?:\\s[^>]*)?>(.*?)</th>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex Heading();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
