namespace Modernizer.Agents.Models;

/// <summary>Sends the headers the Messages API documents: the key in <c>x-api-key</c> and
/// <c>anthropic-version: 2023-06-01</c>. The SDK this product ships with (Anthropic 13.14.0) sends its
/// <c>ApiKey</c> as <c>Authorization: Bearer</c> and a version the API does not document; the SDK's own
/// public sources (<c>ParamsBase.AddDefaultHeaders</c>) put an API key in <c>X-Api-Key</c> and keep
/// <c>Authorization: Bearer</c> for OAuth tokens. This handler sits under the SDK, so every request —
/// retries included — leaves with the documented headers and no <c>Authorization</c> header at all:
/// the product authenticates only with an API key from the environment.</summary>
internal sealed class AnthropicHeadersHandler(string apiKey) : DelegatingHandler
{
    public const string ApiKeyHeader = "x-api-key";
    public const string VersionHeader = "anthropic-version";

    /// <summary>The version of the Messages API the product speaks.</summary>
    public const string ApiVersion = "2023-06-01";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Authorization = null;
        request.Headers.Remove(ApiKeyHeader);
        request.Headers.TryAddWithoutValidation(ApiKeyHeader, apiKey);
        request.Headers.Remove(VersionHeader);
        request.Headers.TryAddWithoutValidation(VersionHeader, ApiVersion);
        return base.SendAsync(request, cancellationToken);
    }
}
