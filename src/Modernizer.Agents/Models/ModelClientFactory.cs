using System.ClientModel;
using Anthropic;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Modernizer.Agents.Models;

/// <summary>Creates the provider's raw <see cref="IChatClient"/> from <see cref="ModelOptions"/> and the
/// environment. Keys are read from the environment only, never stored in options and never logged.</summary>
public static class ModelClientFactory
{
    public const string AnthropicKeyVariable = "ANTHROPIC_API_KEY";
    public const string OpenAIKeyVariable = "OPENAI_API_KEY";

    /// <summary>The provider client, or null for <see cref="ModelProvider.None"/> (the deterministic default).
    /// <paramref name="environment"/> reads one variable (defaults to the process environment);
    /// <paramref name="handler"/> lets callers put HTTP middleware (retry-after capture) under the SDK.</summary>
    public static IChatClient? CreateProviderClient(
        ModelOptions options,
        Func<string, string?>? environment = null,
        HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var read = environment ?? Environment.GetEnvironmentVariable;
        return options.Provider switch
        {
            ModelProvider.None => null,
            ModelProvider.Anthropic => CreateAnthropic(options, RequireKey(read, AnthropicKeyVariable), handler),
            ModelProvider.OpenAICompatible => CreateOpenAICompatible(options, read(OpenAIKeyVariable), handler),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown model provider."),
        };
    }

    private static IChatClient CreateAnthropic(ModelOptions options, string apiKey, HttpMessageHandler? handler)
    {
        var client = new AnthropicClient
        {
            ApiKey = apiKey,
            // Retries belong to the resilience middleware (one policy, visible in telemetry), not the SDK.
            MaxRetries = 0,
            Timeout = options.Resilience.RequestTimeout,
            // The SDK puts the key in Authorization: Bearer; the handler moves it to x-api-key (AnthropicHeadersHandler).
            HttpClient = CreateHttpClient(options, handler, new AnthropicHeadersHandler(apiKey)),
            BaseUrl = options.Endpoint?.ToString().TrimEnd('/') ?? Anthropic.Core.EnvironmentUrl.Production,
        };
        return client.AsIChatClient(options.Model, options.MaxOutputTokens);
    }

    private static IChatClient CreateOpenAICompatible(ModelOptions options, string? apiKey, HttpMessageHandler? handler)
    {
        // Local model servers (llama.cpp, vLLM, Ollama) accept any key; OpenAI itself needs a real one.
        if (apiKey is null && options.Endpoint is null)
        {
            throw new ModelConfigurationException(
                $"The openai-compatible provider needs {OpenAIKeyVariable} in the environment, or an llm endpoint of a local server.");
        }

        var clientOptions = new OpenAIClientOptions { NetworkTimeout = options.Resilience.RequestTimeout, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0) };
        if (options.Endpoint is not null)
        {
            clientOptions.Endpoint = options.Endpoint;
        }

        clientOptions.Transport = new System.ClientModel.Primitives.HttpClientPipelineTransport(CreateHttpClient(options, handler));

        var client = new OpenAIClient(new ApiKeyCredential(apiKey ?? "not-needed-by-local-servers"), clientOptions);
        return client.GetChatClient(options.Model).AsIChatClient();
    }

    private static HttpClient CreateHttpClient(ModelOptions options, HttpMessageHandler? handler, DelegatingHandler? outermost = null)
    {
        HttpMessageHandler chain = new RetryAfterHandler { InnerHandler = handler ?? new SocketsHttpHandler() };
        if (outermost is not null)
        {
            outermost.InnerHandler = chain;
            chain = outermost;
        }

        return new HttpClient(chain, disposeHandler: handler is null)
        {
            // The SDK's own timeout and the resilience middleware govern; this is only a backstop.
            Timeout = options.Resilience.RequestTimeout + TimeSpan.FromSeconds(30),
        };
    }

    private static string RequireKey(Func<string, string?> read, string variable)
    {
        var key = read(variable);
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ModelConfigurationException($"The anthropic provider needs {variable} in the environment; it is not set.");
        }

        return key;
    }
}

/// <summary>The model configuration cannot work (a missing key, an unknown provider). The message never
/// contains a key. An <see cref="InvalidOperationException"/>, so the CLI reports it as a configuration
/// error (exit 2) rather than a crash.</summary>
public sealed class ModelConfigurationException(string message) : InvalidOperationException(message);
