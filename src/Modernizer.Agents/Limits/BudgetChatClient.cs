using Microsoft.Extensions.AI;
using Modernizer.Agents.Models;

namespace Modernizer.Agents.Limits;

/// <summary>Checks the job's budget before each model call and charges tokens and dollars after it, to
/// the job and to the current judgment (so each decision records its own spend).</summary>
internal sealed class BudgetChatClient(IChatClient inner, JobBudget budget, UsageMeter meter, ModelPrice price) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        budget.EnsureAvailable();
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var input = response.Usage?.InputTokenCount ?? 0;
        var output = response.Usage?.OutputTokenCount ?? 0;
        var cost = price.CostOf(input, output);
        budget.Charge(input, output, cost);
        meter.Add(input, output, cost);
        return response;
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Role judgments use complete (non-streamed) answers so that spend is known before use.");
}
