using Microsoft.Extensions.AI;

namespace Modernizer.Agents.Recording;

/// <summary>Passes calls to the model and stores each complete answer under the role and the prompt's
/// hash. Failed or partial answers throw below this layer and are never stored.</summary>
internal sealed class RecordingChatClient(IChatClient inner, RecordingStore store, string role) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var materialized = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var response = await base.GetResponseAsync(materialized, options, cancellationToken).ConfigureAwait(false);
        var exchange = new RecordedExchange(
            role,
            PromptHash.Compute(materialized, options),
            response.ModelId,
            response.FinishReason?.Value,
            response.Usage?.InputTokenCount ?? 0,
            response.Usage?.OutputTokenCount ?? 0,
            [.. response.Messages.Select(StripRaw)]);
        await store.AppendAsync(exchange, cancellationToken).ConfigureAwait(false);
        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Recorded exchanges are complete answers; streaming is not recorded.");

    private static ChatMessage StripRaw(ChatMessage message) =>
        new(message.Role, [.. message.Contents.Where(c => c is TextContent or FunctionCallContent or FunctionResultContent)]) { AuthorName = message.AuthorName, MessageId = message.MessageId };
}
