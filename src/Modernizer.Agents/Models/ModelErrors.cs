using System.ClientModel;
using System.Net.Http;
using Anthropic.Exceptions;
using Polly.Timeout;

namespace Modernizer.Agents.Models;

/// <summary>Classifies the exceptions that provider SDKs throw, so one retry policy serves every provider.</summary>
internal static class ModelErrors
{
    /// <summary>Whether the failure may pass on retry, and the server's requested wait if it named one.</summary>
    public static (bool Transient, TimeSpan? RetryAfter) Classify(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case TransientModelException transient:
                    return (true, transient.RetryAfter);
                case AnthropicApiException api:
                    return (TransientModelException.IsTransientStatus((int)api.StatusCode), null);
                case ClientResultException result when result.Status != 0:
                    return (TransientModelException.IsTransientStatus(result.Status), ReadRetryAfter(result));
                case TimeoutRejectedException:
                    return (true, null);
                case HttpRequestException { StatusCode: { } status }:
                    return (TransientModelException.IsTransientStatus((int)status), null);
                case HttpRequestException:
                    return (true, null);
            }
        }

        return (false, null);
    }

    private static TimeSpan? ReadRetryAfter(ClientResultException result)
    {
        var headers = result.GetRawResponse()?.Headers;
        if (headers is not null && headers.TryGetValue("retry-after", out var value)
            && int.TryParse(value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return null;
    }
}

/// <summary>The model answered with a truncated output (stop reason max_tokens, or a stream that ended
/// without a finish reason). Such an answer is never used nor recorded as complete.</summary>
public sealed class PartialModelOutputException(string message) : Exception(message);

/// <summary>The model could not be reached after retries, or the circuit breaker is open. Roles fall back
/// to their deterministic result.</summary>
public sealed class ModelUnavailableException(string message, Exception? inner) : Exception(message, inner);
