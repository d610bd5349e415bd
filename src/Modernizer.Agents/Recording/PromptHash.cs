using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Modernizer.Agents.Recording;

/// <summary>The key of a recorded exchange: SHA-256 over a canonical form of what the model is shown —
/// messages (text, tool calls and results), the offered tool names and the requested output schema.
/// The model id is left out so a recording replays whatever model is configured.</summary>
internal static class PromptHash
{
    public static string Compute(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var root = new JsonObject
        {
            ["instructions"] = options?.Instructions,
            ["messages"] = new JsonArray([.. messages.Select(Canonical)]),
            ["tools"] = new JsonArray([.. (options?.Tools ?? []).Select(t => (JsonNode)JsonValue.Create(t.Name)).OrderBy(n => n.GetValue<string>(), StringComparer.Ordinal)]),
            ["schema"] = options?.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } ? JsonNode.Parse(schema.GetRawText()) : null,
        };
        var bytes = Encoding.UTF8.GetBytes(root.ToJsonString());
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static JsonNode Canonical(ChatMessage message)
    {
        var parts = new JsonArray();
        foreach (var content in message.Contents)
        {
            JsonNode? part = content switch
            {
                TextContent text => new JsonObject { ["text"] = text.Text },
                FunctionCallContent call => new JsonObject
                {
                    ["call"] = call.Name,
                    ["id"] = call.CallId,
                    ["args"] = JsonSerializer.SerializeToNode(
                        call.Arguments?.OrderBy(a => a.Key, StringComparer.Ordinal).ToDictionary(a => a.Key, a => a.Value), AIJsonUtilities.DefaultOptions),
                },
                FunctionResultContent result => new JsonObject
                {
                    ["result"] = result.CallId,
                    ["value"] = JsonSerializer.SerializeToNode(result.Result, AIJsonUtilities.DefaultOptions),
                },
                // Provider-specific extras (reasoning, usage) do not change what the model was asked.
                _ => null,
            };
            if (part is not null)
            {
                parts.Add(part);
            }
        }

        return new JsonObject { ["role"] = message.Role.Value, ["parts"] = parts };
    }
}
