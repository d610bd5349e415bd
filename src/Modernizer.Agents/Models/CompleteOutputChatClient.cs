using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Modernizer.Agents.Models;

/// <summary>Refuses partial answers: a response cut at the output-token limit (Anthropic's stop_reason
/// <c>max_tokens</c>, surfaced as <see cref="ChatFinishReason.Length"/>) or a stream that ends without
/// a finish reason. It sits under the recorder, so a partial answer is never stored as complete.</summary>
internal sealed class CompleteOutputChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        EnsureComplete(response.FinishReason);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Buffer the stream: nothing reaches the caller until the final update proves the answer complete.
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
        }

        EnsureComplete(updates.LastOrDefault(u => u.FinishReason is not null)?.FinishReason);
        foreach (var update in updates)
        {
            yield return update;
        }
    }

    internal static void EnsureComplete(ChatFinishReason? reason)
    {
        if (reason == ChatFinishReason.Length)
        {
            throw new PartialModelOutputException("The model's answer was cut at the output-token limit (stop_reason max_tokens); it is not used.");
        }

        if (reason is null)
        {
            throw new PartialModelOutputException("The model's answer ended without a stop reason; it is treated as partial and not used.");
        }

        if (reason == ChatFinishReason.ContentFilter)
        {
            throw new PartialModelOutputException("The model's answer was stopped by a content filter; it is not used.");
        }
    }
}
