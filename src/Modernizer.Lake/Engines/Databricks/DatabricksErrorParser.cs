using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Modernizer.Lake.Engines.Databricks;

/// <summary>Turns any non-success HTTP answer into <see cref="DatabricksSqlException"/>, trying the
/// body forms the official SDKs parse, in their order (databricks-sdk-go <c>apierr/errors.go</c>,
/// databricks-sdk-py <c>errors/deserializer.py</c>): an empty body (the reason phrase); the
/// standard JSON object, whose <c>error_code</c> may be a string or a number, with the API 1.2
/// <c>error</c> and SCIM <c>detail</c> variants; "ERROR_CODE: message" text; an HTML page (the
/// text of its <c>&lt;pre&gt;</c>, else its <c>&lt;title&gt;</c>); and, failing all, the start of the body.</summary>
internal static partial class DatabricksErrorParser
{
    private const int MaxBodyInMessage = 500;

    public static DatabricksSqlException Parse(string operation, HttpStatusCode status, string? reason, string body)
    {
        var (code, message) = ParseBody(status, reason, body);
        return new DatabricksSqlException(
            $"Databricks API {operation} returned {(int)status}{(code is null ? "" : " " + code)}: {message}",
            code,
            null,
            null,
            (int)status);
    }

    internal static (string? Code, string Message) ParseBody(HttpStatusCode status, string? reason, string body)
    {
        var reasonText = string.IsNullOrWhiteSpace(reason) ? status.ToString() : reason;
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, reasonText);
        }

        if (Standard(body) is { } standard)
        {
            return standard;
        }

        var text = StringError().Match(body.Trim());
        if (text.Success)
        {
            return (text.Groups[1].Value, text.Groups[2].Value);
        }

        var html = HtmlPre().Match(body) is { Success: true } pre ? pre : HtmlTitle().Match(body);
        if (html.Success)
        {
            var message = WebUtility.HtmlDecode(html.Groups[1].Value).Trim(' ', '.');
            return (reasonText.ToUpperInvariant().Replace(' ', '_'), message.Length == 0 ? reasonText : message);
        }

        var start = body.Length > MaxBodyInMessage ? body[..MaxBodyInMessage] + "…" : body;
        return ("UNKNOWN", start.Trim());
    }

    private static (string? Code, string Message)? Standard(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var root = document.RootElement;
            var code = root.TryGetProperty("error_code", out var c) ? c.ValueKind switch
            {
                JsonValueKind.String => c.GetString(),
                JsonValueKind.Number => c.GetRawText(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => c.GetRawText(),
            }
            : null;
            var message = Text(root, "message");
            if (Text(root, "error") is { Length: > 0 } api12)
            {
                message = api12;
            }

            if (string.IsNullOrEmpty(message) && Text(root, "detail") is { Length: > 0 } detail)
            {
                message = ((Text(root, "scimType") ?? "") + " " + (detail == "null" ? "SCIM API Internal Error" : detail)).Trim();
                code = "SCIM_" + (root.TryGetProperty("status", out var s) ? s.ToString() : "");
            }

            return (code, string.IsNullOrEmpty(message) ? "request failed" : message);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"^([A-Z_]+): (.*)$", RegexOptions.Singleline)]
    private static partial Regex StringError();

    [GeneratedRegex(@"<pre>(.*?)</pre>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex HtmlPre();

    [GeneratedRegex(@"<title>(.*?)</title>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex HtmlTitle();
}
