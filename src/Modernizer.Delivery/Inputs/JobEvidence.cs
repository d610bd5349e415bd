using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Delivery.Analysis;
using Modernizer.Domain;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Workspace;

namespace Modernizer.Delivery.Inputs;

/// <summary>reconciliation.json as the gates and the pull request read it.</summary>
public sealed record ReconciliationSummary(string Status, double? MatchRate, string? RewriteHash, ImmutableSortedDictionary<string, long> Rows, ImmutableArray<(string Column, long Mismatches)> Columns);

/// <summary>tests/results.json as the gates and the pull request read it.</summary>
public sealed record TestSummary(int Passed, int Failed, ImmutableArray<(string Id, string Status)> Cases);

/// <summary>One line of the job's decision log (decisions.jsonl).</summary>
public sealed record DecisionLine(long Seq, string Time, string Stage, string Role, string Kind, string Outcome, string Rule, string Rationale);

/// <summary>What other stages wrote about a job, read once for the gates and the pull request. A file
/// that is missing reads as null (never as a pass); a malformed one is an error naming it.</summary>
public sealed record JobEvidence(
    JobId Job,
    ReconciliationSummary? Reconciliation,
    TestSummary? Tests,
    ValidationReport? Validation,
    ImmutableArray<DecisionLine> Decisions)
{
    public static async Task<JobEvidence> ReadAsync(WorkspacePaths workspace, JobId job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var folder = workspace.JobOutput(job);
        return new JobEvidence(
            job,
            await ReadJsonAsync(Path.Combine(folder, "reconciliation.json"), ReadReconciliation, cancellationToken).ConfigureAwait(false),
            await ReadJsonAsync(Path.Combine(folder, "tests", "results.json"), ReadTests, cancellationToken).ConfigureAwait(false),
            await ReadJsonAsync(StaticAnalyzer.ValidationPath(workspace, job), e => e.Deserialize<ValidationReport>(JsonDefaults.Artifact), cancellationToken).ConfigureAwait(false),
            await DecisionsAsync(workspace, job, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<T?> ReadJsonAsync<T>(string path, Func<JsonElement, T?> read, CancellationToken cancellationToken)
        where T : class
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
            return read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new DeliveryException($"{path}: cannot be read ({e.Message})", e);
        }
    }

    private static ReconciliationSummary ReadReconciliation(JsonElement root)
    {
        var rows = ImmutableSortedDictionary.CreateBuilder<string, long>(StringComparer.Ordinal);
        if (root.TryGetProperty("rows", out var r) && r.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in r.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number))
            {
                rows[p.Name] = p.Value.GetInt64();
            }
        }

        var columns = root.TryGetProperty("columns", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(x => (x.GetProperty("name").GetString() ?? "?", x.TryGetProperty("mismatches", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0L)).ToImmutableArray()
            : [];
        return new ReconciliationSummary(
            root.GetProperty("status").GetString() ?? "unknown",
            root.TryGetProperty("match_rate", out var rate) && rate.ValueKind == JsonValueKind.Number ? rate.GetDouble() : null,
            root.TryGetProperty("rewrite_hash", out var hash) && hash.ValueKind == JsonValueKind.String ? hash.GetString() : null,
            rows.ToImmutable(),
            columns);
    }

    private static TestSummary ReadTests(JsonElement root)
    {
        var cases = root.TryGetProperty("cases", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(x => (x.GetProperty("id").GetString() ?? "?", x.GetProperty("status").GetString() ?? "?")).ToImmutableArray()
            : [];
        int Count(string name, string status) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : cases.Count(x => x.Item2 == status);
        return new TestSummary(Count("passed", "passed"), Count("failed", "failed"), cases);
    }

    private static async Task<ImmutableArray<DecisionLine>> DecisionsAsync(WorkspacePaths workspace, JobId job, CancellationToken cancellationToken)
    {
        if (!File.Exists(workspace.DecisionsJsonl))
        {
            return [];
        }

        var lines = ImmutableArray.CreateBuilder<DecisionLine>();
        foreach (var line in await File.ReadAllLinesAsync(workspace.DecisionsJsonl, cancellationToken).ConfigureAwait(false))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var d = document.RootElement;
            if (d.TryGetProperty("job_id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == job.Value)
            {
                lines.Add(new DecisionLine(d.GetProperty("seq").GetInt64(), S(d, "time"), S(d, "stage"), S(d, "role"), S(d, "kind"), S(d, "outcome"), S(d, "rule"), S(d, "rationale")));
            }
        }

        return lines.ToImmutable();

        static string S(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Job}: {Decisions.Length} decisions");
}
