using System.Buffers;
using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;

namespace Modernizer.Pipeline.Decisions;

/// <summary>The canonical JSON of a decision entry and its hash. Canonical means: the fields in the
/// fixed order of docs/workspace.md, no whitespace, strings escaped the same way every time, numbers
/// in their shortest round-trip form. The JSONL line is the canonical JSON with the hash added at
/// the end, so a reader can recompute the hash from the line alone.</summary>
public static class DecisionHasher
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ComputeHash(DecisionEntry entry) =>
        Convert.ToHexStringLower(SHA256.HashData(Write(entry, includeHash: false)));

    /// <summary>The JSONL line of an entry (no trailing newline).</summary>
    public static string ToJsonLine(DecisionEntry entry) => System.Text.Encoding.UTF8.GetString(Write(entry, includeHash: true));

    /// <summary>Builds the entry that follows <paramref name="prevHash"/> for a role's draft.</summary>
    public static DecisionEntry Seal(DecisionDraft draft, long seq, string time, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var unsealed = new DecisionEntry(
            seq,
            time,
            draft.JobId?.Value,
            draft.Stage.Name,
            RoleName(draft.Role),
            draft.Kind,
            draft.Outcome == DecisionOutcome.Escalated ? "escalated" : "autonomous",
            draft.Confidence.Value,
            draft.Rule,
            draft.Rationale,
            draft.Alternatives.IsDefault ? [] : draft.Alternatives,
            draft.Evidence.IsDefault ? [] : draft.Evidence,
            draft.Tokens,
            draft.CostUsd,
            draft.InstructionsHash,
            prevHash,
            string.Empty);
        return unsealed with { Hash = ComputeHash(unsealed) };
    }

    /// <summary>snake_case role name as the log and the CLI show it (<c>portfolio_scanner</c>).</summary>
    public static string RoleName(RoleId role) => JsonNamingPolicy.SnakeCaseLower.ConvertName(role.ToString());

    public static string EvidenceKindName(EvidenceKind kind) => JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    /// <summary>Parses one JSONL line back into an entry; throws <see cref="FormatException"/> naming
    /// the field that is missing or of the wrong type.</summary>
    public static DecisionEntry Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("a decision line must be a JSON object");
        }

        return new DecisionEntry(
            Required(root, "seq").GetInt64(),
            Text(root, "time"),
            NullableText(root, "job_id"),
            Text(root, "stage"),
            Text(root, "role"),
            Text(root, "kind"),
            Text(root, "outcome"),
            Required(root, "confidence").GetDouble(),
            Text(root, "rule"),
            Text(root, "rationale"),
            Required(root, "alternatives").EnumerateArray().Select(a => a.GetString() ?? string.Empty).ToImmutableArray(),
            Required(root, "evidence").EnumerateArray().Select(ParseEvidence).ToImmutableArray(),
            Required(root, "tokens").GetInt64(),
            Required(root, "cost_usd").GetDecimal(),
            NullableText(root, "instructions_hash"),
            Text(root, "prev_hash"),
            Text(root, "hash"));
    }

    private static Evidence ParseEvidence(JsonElement element)
    {
        var kindName = Text(element, "kind");
        var kind = Enum.GetValues<EvidenceKind>().FirstOrDefault(k => EvidenceKindName(k) == kindName, (EvidenceKind)(-1));
        if ((int)kind < 0)
        {
            throw new FormatException($"unknown evidence kind '{kindName}'");
        }

        return new Evidence(kind, Text(element, "reference"), NullableText(element, "detail"));
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new FormatException($"the field '{name}' is missing");

    private static string Text(JsonElement element, string name) =>
        Required(element, name).GetString() ?? throw new FormatException($"the field '{name}' must be text");

    private static string? NullableText(JsonElement element, string name) =>
        Required(element, name).ValueKind == JsonValueKind.Null ? null : Required(element, name).GetString();

    private static byte[] Write(DecisionEntry entry, bool includeHash)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", entry.Seq);
            writer.WriteString("time", entry.Time);
            WriteNullable(writer, "job_id", entry.JobId);
            writer.WriteString("stage", entry.Stage);
            writer.WriteString("role", entry.Role);
            writer.WriteString("kind", entry.Kind);
            writer.WriteString("outcome", entry.Outcome);
            writer.WriteNumber("confidence", entry.Confidence);
            writer.WriteString("rule", entry.Rule);
            writer.WriteString("rationale", entry.Rationale);
            writer.WriteStartArray("alternatives");
            foreach (var alternative in entry.Alternatives)
            {
                writer.WriteStringValue(alternative);
            }

            writer.WriteEndArray();
            writer.WriteStartArray("evidence");
            foreach (var evidence in entry.Evidence)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", EvidenceKindName(evidence.Kind));
                writer.WriteString("reference", evidence.Reference);
                WriteNullable(writer, "detail", evidence.Detail);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("tokens", entry.Tokens);
            writer.WriteNumber("cost_usd", entry.CostUsd);
            WriteNullable(writer, "instructions_hash", entry.InstructionsHash);
            writer.WriteString("prev_hash", entry.PrevHash);
            if (includeHash)
            {
                writer.WriteString("hash", entry.Hash);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    internal static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
