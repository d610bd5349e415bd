using System.Globalization;
using System.Net;

namespace Modernizer.Agents.Models;

/// <summary>HTTP middleware under the provider SDK that turns transient answers (429, 5xx, Anthropic's
/// 529 overloaded) into a <see cref="TransientModelException"/> carrying the server's retry-after, which
/// SDK exceptions do not expose. The resilience middleware above the chat client honours it.</summary>
internal sealed class RetryAfterHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!TransientModelException.IsTransientStatus((int)response.StatusCode))
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new TransientModelException((int)response.StatusCode, ReadRetryAfter(response), Truncate(body));
        }
    }

    internal static TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var millis)
            && double.TryParse(millis.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    private static string Truncate(string body) => body.Length <= 500 ? body : body[..500];
}

/// <summary>A model call failed in a way that may pass on retry: rate limited (429), overloaded (529),
/// a server error (5xx) or a request timeout.</summary>
public sealed class TransientModelException : Exception
{
    public TransientModelException(int statusCode, TimeSpan? retryAfter, string detail)
        : base(string.Create(CultureInfo.InvariantCulture, $"The model service answered {statusCode} ({Describe(statusCode)}): {detail}"))
    {
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    public int StatusCode { get; }

    public TimeSpan? RetryAfter { get; }

    public static bool IsTransientStatus(int status) =>
        status is (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.RequestTimeout or 529 || status >= 500;

    private static string Describe(int status) => status switch
    {
        429 => "rate limited",
        529 => "overloaded",
        408 => "request timeout",
        _ => "server error",
    };
}
