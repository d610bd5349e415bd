namespace Modernizer.Web.Security;

/// <summary>Headers on every response: a content security policy that allows only the dashboard's
/// own scripts, styles and connections (no inline script, no inline style, no frames, forms post
/// only to the dashboard), and the usual hardening headers.</summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            if (!context.Request.Path.StartsWithSegments("/static", StringComparison.Ordinal))
            {
                // Pages and API answers hold workspace data: never kept by shared caches.
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}

/// <summary>While a local account still has its one-time password, every page redirects to the
/// password change and every API call is refused; sign-out and the password page stay open.</summary>
internal sealed class OneTimePasswordGate(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.User.Identity?.IsAuthenticated == true && context.User.MustChangePassword()
            && context.GetEndpoint()?.Metadata.GetMetadata<AllowedWithOneTimePassword>() is null)
        {
            if (DashboardPaths.IsApi(context.Request.Path))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return context.Response.WriteAsJsonAsync(new { error = "change the one-time password on the dashboard first" });
            }

            context.Response.Redirect("/account/password");
            return Task.CompletedTask;
        }

        return next(context);
    }
}

/// <summary>Endpoint metadata: reachable while the account has a one-time password.</summary>
internal sealed class AllowedWithOneTimePassword;

internal static class DashboardPaths
{
    public static bool IsApi(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.Ordinal) || path.StartsWithSegments("/openapi", StringComparison.Ordinal);
}
