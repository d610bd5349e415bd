using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Modernizer.Web.Tests.Infrastructure;

/// <summary>What a browser does, with an HttpClient: read the antiforgery token from a page's form,
/// post forms, sign in with the form; and what a script does: HTTP Basic.</summary>
internal static partial class Http
{
    public static async Task<string> TokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        return Token(html);
    }

    public static string Token(string html)
    {
        var match = TokenInput().Match(html);
        Assert.True(match.Success, "the page has no antiforgery field");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string? token, params (string Name, string Value)[] fields)
    {
        var values = fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToList();
        if (token is not null)
        {
            values.Add(KeyValuePair.Create("__RequestVerificationToken", token));
        }

        return await client.PostAsync(path, new FormUrlEncodedContent(values));
    }

    public static async Task SignInAsync(HttpClient client, string name, string password = TestDashboard.Password)
    {
        var token = await TokenAsync(client, "/signin");
        using var response = await PostFormAsync(client, "/signin", token, ("name", name), ("password", password), ("returnUrl", "/kanban"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/kanban", response.Headers.Location?.OriginalString);
    }

    public static AuthenticationHeaderValue Basic(string name, string password = TestDashboard.Password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{name}:{password}")));

    public static HttpRequestMessage Request(HttpMethod method, string path, AuthenticationHeaderValue? auth, HttpContent? content = null) =>
        new(method, path) { Headers = { Authorization = auth }, Content = content };

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
