using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Modernizer.Web.Api;
using Modernizer.Web.Live;
using Modernizer.Web.Pages;
using Modernizer.Web.Security;

namespace Modernizer.Web.Hosting;

/// <summary>Builds the dashboard host: <c>modernize serve</c> runs it on Kestrel, the tests on a
/// test server or on Kestrel at port 0. One composition for all of them.</summary>
public static class DashboardHost
{
    public static IHostBuilder CreateBuilder(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HostBuilder()
            .UseContentRoot(options.Workspace.Paths.Root)
            .ConfigureLogging(logging => logging
                .AddSimpleConsole(console => console.SingleLine = true)
                .SetMinimumLevel(LogLevel.Warning)
                // Keys are kept unencrypted in the user's profile (the default on Linux); saying so on every start is noise.
                .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error))
            .ConfigureWebHost(web => web
                .UseSetting(WebHostDefaults.ApplicationKey, typeof(DashboardHost).Assembly.GetName().Name)
                .UseKestrel(kestrel => kestrel.AddServerHeader = false)
                .UseUrls([.. options.Urls])
                .ConfigureServices(services => services.AddDashboard(options))
                .Configure(app => app.UseDashboard()));
    }

    public static void AddDashboard(this IServiceCollection services, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(options.Workspace);
        services.AddSingleton(options.Accounts);
        services.AddSingleton(options.Clock);
        services.AddSingleton(new BoardFeed(options.Workspace, options.PollInterval, options.Clock));
        services.AddRouting();
        services.AddDashboardAuthentication(options.Settings.Oidc);
        services.AddRazorComponents();
        services.AddProblemDetails();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Modernizer dashboard API";
            document.Info.Description = "The JSON API of `modernize serve`: the same state store, artifacts and escalation queue as the `modernize` command. " +
                "Every call needs a signed-in user: the dashboard's cookie, or HTTP Basic with a local account.";
            return Task.CompletedTask;
        }));
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        });
    }

    public static void UseDashboard(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedFileProvider(typeof(DashboardHost).Assembly, "Modernizer.Web.wwwroot"),
            RequestPath = "/static",
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<OneTimePasswordGate>();
        app.UseAntiforgery();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapDashboardPages();
            endpoints.MapDashboardApi();
            endpoints.MapOpenApi("/openapi/{documentName}.json").RequireAuthorization(DashboardPolicies.View);
        });
    }
}
