using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Modernizer.Web.Security;
using Modernizer.Web.Tests.Infrastructure;

namespace Modernizer.Web.Tests;

/// <summary>OpenID Connect as an option: with a provider configured, the sign-in page offers it and
/// the challenge sends the browser to the provider's authorization endpoint (code flow with PKCE).
/// The provider is a fake serving only its discovery document, on a free port.</summary>
public sealed class OpenIdConnectTests
{
    [Fact]
    public async Task A_configured_provider_is_offered_and_the_challenge_goes_to_its_authorization_endpoint()
    {
        await using var provider = await FakeProvider.StartAsync();
        var settings = DashboardSettings.FromEnvironment(new Dictionary<string, string>
        {
            ["MODERNIZE_DASHBOARD_Oidc__Authority"] = provider.Authority,
            ["MODERNIZE_DASHBOARD_Oidc__ClientId"] = "modernize-dashboard",
            ["MODERNIZE_DASHBOARD_Oidc__DisplayName"] = "Example SSO",
            ["MODERNIZE_DASHBOARD_Oidc__RequireHttpsMetadata"] = "false",
            ["MODERNIZE_DASHBOARD_Oidc__Roles__approver"] = "finance-leads",
        });
        Assert.Equal("approver", settings.Oidc!.RoleValues["finance-leads"]);

        await using var dashboard = await TestDashboard.CreateAsync();
        await using var factory = dashboard.Factory(settings);
        var client = factory.Browser();
        var signin = await client.GetStringAsync("/signin");
        Assert.Contains("Sign in with Example SSO", signin, StringComparison.Ordinal);

        using var challenge = await client.GetAsync("/signin/oidc?returnUrl=%2Fbacklog");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var location = challenge.Headers.Location!;
        Assert.StartsWith(provider.Authority + "/authorize?", location.ToString(), StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("modernize-dashboard", query["client_id"].ToString());
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Equal("https://localhost/signin-oidc", query["redirect_uri"].ToString());
    }

    [Fact]
    public void An_incomplete_provider_configuration_is_an_error_naming_the_variables()
    {
        var error = Assert.Throws<AccountException>(() => DashboardSettings.FromEnvironment(new Dictionary<string, string>
        {
            ["MODERNIZE_DASHBOARD_Oidc__Authority"] = "https://login.example.com",
        }));
        Assert.Contains("MODERNIZE_DASHBOARD_Oidc__ClientId", error.Message, StringComparison.Ordinal);
    }

    private sealed class FakeProvider : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeProvider(WebApplication app, string authority)
        {
            _app = app;
            Authority = authority;
        }

        public string Authority { get; }

        public static async Task<FakeProvider> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/.well-known/openid-configuration", (HttpContext http) =>
            {
                var issuer = $"{http.Request.Scheme}://{http.Request.Host}";
                return Results.Json(new Dictionary<string, object>
                {
                    ["issuer"] = issuer,
                    ["authorization_endpoint"] = issuer + "/authorize",
                    ["token_endpoint"] = issuer + "/token",
                    ["jwks_uri"] = issuer + "/jwks",
                    ["response_types_supported"] = new[] { "code" },
                    ["subject_types_supported"] = new[] { "public" },
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                    ["code_challenge_methods_supported"] = new[] { "S256" },
                });
            });
            app.MapGet("/jwks", () => Results.Json(new { keys = Array.Empty<object>() }));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new FakeProvider(app, address.TrimEnd('/'));
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
