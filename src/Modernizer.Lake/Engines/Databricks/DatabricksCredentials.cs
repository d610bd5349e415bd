using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Modernizer.Lake.Engines.Databricks;

/// <summary>How requests to the workspace are authenticated. Secrets come only from environment
/// variables; they never appear in a message, a log or an artifact.</summary>
public enum DatabricksAuth
{
    /// <summary>A personal access token (or any bearer token) from <see cref="DatabricksOptions.TokenVariable"/>.</summary>
    PersonalAccessToken,

    /// <summary>OAuth machine-to-machine: a service principal's client id and secret from
    /// <see cref="DatabricksOptions.ClientIdVariable"/> and <see cref="DatabricksOptions.ClientSecretVariable"/>
    /// exchanged at the workspace's <c>/oidc/v1/token</c> (client credentials, scope <c>all-apis</c>).</summary>
    OAuthMachineToMachine,
}

/// <summary>Supplies the Authorization header of workspace requests (never of external links).</summary>
internal interface IDatabricksCredentials
{
    ValueTask<AuthenticationHeaderValue> AuthorizationAsync(CancellationToken cancellationToken);
}

internal sealed class PersonalAccessToken(string token) : IDatabricksCredentials
{
    private readonly AuthenticationHeaderValue _header = new("Bearer", token);

    public ValueTask<AuthenticationHeaderValue> AuthorizationAsync(CancellationToken cancellationToken) => ValueTask.FromResult(_header);
}

/// <summary>OAuth M2M as the SDKs do it (databricks-sdk-go <c>config/auth_m2m.go</c>: client
/// credentials with the id and secret in a Basic header, scope <c>all-apis</c>; token endpoint
/// <c>{host}/oidc/v1/token</c>). The token is cached and replaced before it expires: once less
/// than min(half its lifetime, 20 minutes) remains, as the Go SDK's cache computes its refresh
/// lead (<c>config/experimental/auth/cache.go</c>). Refreshes are serialized.</summary>
internal sealed class OAuthMachineToMachine : IDatabricksCredentials, IDisposable
{
    private static readonly TimeSpan MaxRefreshLead = TimeSpan.FromMinutes(20);

    private readonly HttpClient _http;
    private readonly Uri _tokenEndpoint;
    private readonly string _clientId;
    private readonly string _clientSecret;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AuthenticationHeaderValue? _header;
    private DateTimeOffset _refreshAt;

    public OAuthMachineToMachine(HttpClient http, Uri host, string clientId, string clientSecret, TimeProvider clock)
    {
        _http = http;
        _tokenEndpoint = new Uri(host, "oidc/v1/token");
        _clientId = clientId;
        _clientSecret = clientSecret;
        _clock = clock;
    }

    public async ValueTask<AuthenticationHeaderValue> AuthorizationAsync(CancellationToken cancellationToken)
    {
        if (_header is { } cached && _clock.GetUtcNow() < _refreshAt)
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_header is { } fresh && _clock.GetUtcNow() < _refreshAt)
            {
                return fresh;
            }

            var (token, lifetime) = await RequestTokenAsync(cancellationToken);
            var lead = TimeSpan.FromTicks(Math.Min(lifetime.Ticks / 2, MaxRefreshLead.Ticks));
            _header = new AuthenticationHeaderValue("Bearer", token);
            _refreshAt = _clock.GetUtcNow() + lifetime - lead;
            return _header;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<(string Token, TimeSpan Lifetime)> RequestTokenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenEndpoint)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", "all-apis")]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(_clientId) + ":" + Uri.EscapeDataString(_clientSecret))));
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new DatabricksSqlException("The OAuth token request to the workspace failed in transit: " + e.Message, e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // The body of a token error names the problem (invalid_client, ...), never the secret.
                throw DatabricksErrorParser.Parse("POST /oidc/v1/token (OAuth M2M)", response.StatusCode, response.ReasonPhrase, OAuthErrorAsText(body));
            }

            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                var token = root.GetProperty("access_token").GetString();
                var seconds = root.TryGetProperty("expires_in", out var e) && e.TryGetInt64(out var s) ? s : 3600;
                if (string.IsNullOrEmpty(token) || seconds <= 0)
                {
                    throw new DatabricksSqlException("The workspace's OAuth token response has no access_token or a non-positive expires_in.");
                }

                return (token, TimeSpan.FromSeconds(seconds));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new DatabricksSqlException("The workspace's OAuth token response is not the documented JSON (access_token, expires_in).", e);
            }
        }
    }

    /// <summary>RFC 6749 errors (<c>{"error": "invalid_client", "error_description": ...}</c>) as the standard error shape.</summary>
    private static string OAuthErrorAsText(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                var description = json.RootElement.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                return JsonSerializer.Serialize(new Dictionary<string, string?> { ["error_code"] = error.GetString(), ["message"] = description ?? error.GetString() });
            }
        }
        catch (JsonException)
        {
        }

        return body;
    }

    public void Dispose() => _refresh.Dispose();
}
