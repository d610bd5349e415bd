using System.Collections.Frozen;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Modernizer.Agents.Limits;

/// <summary>Sits between the function-invoking layer and the model: every tool call the model asks for
/// is checked against the role's allow-list (policy in code, not in the prompt), and the same call
/// (same function, same arguments) repeated too often stops the judgment as a loop.</summary>
internal sealed class ToolCallGuardChatClient : DelegatingChatClient
{
    private readonly FrozenSet<string> _allowed;
    private readonly int _maxIdenticalCalls;
    private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public ToolCallGuardChatClient(IChatClient inner, IEnumerable<string> allowedTools, int maxIdenticalCalls)
        : base(inner)
    {
        _allowed = allowedTools.ToFrozenSet(StringComparer.Ordinal);
        _maxIdenticalCalls = maxIdenticalCalls;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var call in response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>())
        {
            if (!_allowed.Contains(call.Name))
            {
                throw new DisallowedToolCallException(call.Name);
            }

            var key = call.Name + "\u0000" + JsonSerializer.Serialize(
                call.Arguments?.OrderBy(a => a.Key, StringComparer.Ordinal).ToDictionary(a => a.Key, a => a.Value),
                AIJsonUtilities.DefaultOptions);
            lock (_gate)
            {
                var count = _seen.GetValueOrDefault(key) + 1;
                _seen[key] = count;
                if (count > _maxIdenticalCalls)
                {
                    throw new RepeatedToolCallException(
                        $"The model called '{call.Name}' with the same arguments {count} times; the judgment is stopped as a loop.");
                }
            }
        }

        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Role judgments use complete (non-streamed) answers so that every tool call is checked before it runs.");
}
