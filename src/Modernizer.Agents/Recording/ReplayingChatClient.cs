using Microsoft.Extensions.AI;

namespace Modernizer.Agents.Recording;

/// <summary>Answers from recorded exchanges only; it never calls a model. A prompt without a recording
/// is a clear error that names the role, the hash and the folder.</summary>
internal sealed class ReplayingChatClient : IChatClient
{
    private readonly RecordingStore _store;
    private readonly string _role;
    private readonly ChatClientMetadata _metadata;
    private IReadOnlyDictionary<string, RecordedExchange>? _exchanges;

    public ReplayingChatClient(RecordingStore store, string role, string providerName, string model)
    {
        _store = store;
        _role = role;
        _metadata = new ChatClientMetadata(providerName, null, model);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        _exchanges ??= await _store.LoadAsync(_role, cancellationToken).ConfigureAwait(false);
        var hash = PromptHash.Compute(messages, options);
        if (!_exchanges.TryGetValue(hash, out var exchange))
        {
            throw new MissingRecordingException(
                $"No recorded model exchange for role '{_role}' and prompt hash {hash} in {Path.Combine(_store.Directory, RecordingStore.FileFor(_role))}. " +
                "Record it by running once with a real provider and llm.recordings set, or run with provider none.");
        }

        return exchange.ToResponse();
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Replayed exchanges are complete answers; streaming is not replayed.");

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
        // Nothing to release: recordings are read into memory once.
    }
}

/// <summary>A replayed run asked a question that was never recorded.</summary>
public sealed class MissingRecordingException(string message) : Exception(message);
