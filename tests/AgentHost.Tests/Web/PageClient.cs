using System.Net;
using AgentHost.Tests.Host;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace AgentHost.Tests.Web;

/// <summary>
/// A browser-less user of the pages: signed in with X-Dev-User (loopback), keeping cookies, parsing
/// each answer with AngleSharp, and posting forms with the antiforgery token the page rendered.
/// </summary>
public sealed class PageClient(AgentHostFactory host, string? email) : IDisposable
{
    private readonly HttpClient _http = CreateHttp(host, email);

    public async Task<(HttpResponseMessage Response, IDocument Page)> GetAsync(string url)
    {
        var response = await _http.GetAsync(url);
        return (response, await ParseAsync(response));
    }

    /// <summary>Submits the form <paramref name="formSelector"/> of <paramref name="page"/> with its current fields, overridden by <paramref name="values"/>.</summary>
    public async Task<(HttpResponseMessage Response, IDocument Page)> SubmitAsync(IDocument page, string formSelector, IEnumerable<KeyValuePair<string, string>> values, bool withToken = true, string? action = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        var form = page.QuerySelector<IHtmlFormElement>(formSelector) ?? throw new InvalidOperationException($"no form '{formSelector}' on {page.Url}:\n{page.Body?.TextContent}");
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when input.Type is "checkbox" or "radio":
                    if (input.IsChecked)
                    {
                        fields.Add(new(input.Name!, input.Value));
                    }

                    break;
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type != "submit":
                    fields.Add(new(input.Name!, input.Value));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields.Add(new(area.Name!, area.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields.Add(new(select.Name!, select.Value ?? string.Empty));
                    break;
            }
        }

        var overrides = values.ToList();
        var overridden = overrides.Select(v => v.Key).ToHashSet(StringComparer.Ordinal);
        fields.RemoveAll(f => overridden.Contains(f.Key) || (!withToken && f.Key == "__RequestVerificationToken"));
        fields.AddRange(overrides);
        action ??= string.IsNullOrEmpty(form.GetAttribute("action")) ? new Uri(page.Url).PathAndQuery : form.GetAttribute("action")!;
        var response = await _http.PostAsync(action, new FormUrlEncodedContent(fields));
        return (response, await ParseAsync(response));
    }

    public Task<HttpResponseMessage> RawGetAsync(string url) => _http.GetAsync(url);

    public void Dispose() => _http.Dispose();

    private static HttpClient CreateHttp(AgentHostFactory host, string? email)
    {
        var http = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (email is not null)
        {
            http.DefaultRequestHeaders.Add("X-Dev-User", email);
        }

        return http;
    }

    private static async Task<IDocument> ParseAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var context = BrowsingContext.New(Configuration.Default);
        return await context.OpenAsync(request => request.Content(html).Address(response.RequestMessage!.RequestUri!));
    }
}

internal static class Forms
{
    public static KeyValuePair<string, string> F(string name, string value) => new(name, value);

    public static void ShouldBeStatus(this HttpResponseMessage response, HttpStatusCode status, IDocument page) =>
        response.StatusCode.ShouldBe(status, page.Body?.TextContent?.Trim());
}
