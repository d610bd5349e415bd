using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace Modernizer.Agents.Recording;

/// <summary>One recorded model exchange: the answer to the prompt with this hash, asked by this role.</summary>
public sealed record RecordedExchange(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("prompt_hash")] string PromptHash,
    [property: JsonPropertyName("model")] string? Model,
    [property: JsonPropertyName("finish_reason")] string? FinishReason,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("messages")] ImmutableArray<ChatMessage> Messages)
{
    public ChatResponse ToResponse() => new([.. Messages])
    {
        ModelId = Model,
        FinishReason = FinishReason is null ? null : new ChatFinishReason(FinishReason),
        Usage = new UsageDetails { InputTokenCount = InputTokens, OutputTokenCount = OutputTokens, TotalTokenCount = InputTokens + OutputTokens },
    };
}

/// <summary>A folder of recorded exchanges, one JSONL file per role (<c>code_reviewer.jsonl</c>).
/// Appends are serialized per store; a line is written whole or not at all.</summary>
public sealed class RecordingStore
{
    /// <summary>AI content types need Microsoft.Extensions.AI's resolver; one exchange per line needs no indentation.</summary>
    private static readonly JsonSerializerOptions LineOptions = CreateLineOptions();

    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public RecordingStore(string directory)
    {
        Directory = Path.GetFullPath(directory);
    }

    public string Directory { get; }

    public static string FileFor(string role) => role + ".jsonl";

    public async Task AppendAsync(RecordedExchange exchange, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var line = JsonSerializer.Serialize(exchange, LineOptions) + "\n";
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            await File.AppendAllTextAsync(Path.Combine(Directory, FileFor(exchange.Role)), line, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>All exchanges of a role, keyed by prompt hash (the last recording of a prompt wins).</summary>
    public async Task<IReadOnlyDictionary<string, RecordedExchange>> LoadAsync(string role, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, FileFor(role));
        var result = new Dictionary<string, RecordedExchange>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            RecordedExchange? exchange;
            try
            {
                exchange = JsonSerializer.Deserialize<RecordedExchange>(line, LineOptions);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a recorded exchange ({e.Message}).", e);
            }

            if (exchange is null || string.IsNullOrEmpty(exchange.PromptHash))
            {
                throw new InvalidDataException($"{path}:{lineNumber}: a recorded exchange needs a prompt_hash.");
            }

            result[exchange.PromptHash] = exchange;
        }

        return result;
    }

    private static JsonSerializerOptions CreateLineOptions()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions) { WriteIndented = false };
        options.MakeReadOnly();
        return options;
    }
}
