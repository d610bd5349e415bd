using System.Globalization;
using System.Text.Json.Nodes;
using Modernizer.Code.Lifting;
using Modernizer.Domain;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Rewriting;

/// <summary><c>rewrite.json</c> (docs/workspace.md): what was rewritten, how, under which assumptions,
/// what each attempt gave and the reconciliation. The Deployment Agent reads <c>status</c>,
/// <c>rewrite_hash</c>, <c>parameters</c>, <c>targets</c> and <c>inputs</c> from it.</summary>
public static class RewriteManifestWriter
{
    public static string Render(JobId job, RewriteResult result, RewriteLayout layout, LiftSettings? lift, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(layout);
        var program = result.Program;
        var root = new JsonObject
        {
            ["job_id"] = job.Value,
            ["status"] = result.Status.ToString().ToLowerInvariant(),
            ["message"] = result.Message,
            ["generated_at"] = generatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["loops_before"] = result.LoopsBefore,
            ["loops_after"] = result.Program is null ? null : result.LoopsAfter,
            ["rewrite_hash"] = result.Hash,
            ["spark_sql"] = program is null ? null : Path.GetFileName(layout.SparkSql),
            ["settings"] = lift is null ? null : new JsonObject
            {
                ["driver_time_zone"] = lift.DriverTimeZone,
                ["session_time_zone"] = lift.SessionTimeZone,
                ["choices"] = new JsonObject(lift.Choices.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
            },
            ["parameters"] = Array(program?.Parameters ?? [], p => new JsonObject
            {
                ["name"] = p.Name,
                ["type"] = p.Type.ToString(),
                ["default"] = p.Default,
                ["source"] = p.Source,
            }),
            ["targets"] = Array(program?.Targets ?? [], t => new JsonObject
            {
                ["table"] = t.Name,
                ["mode"] = t.Write.ToString().ToLowerInvariant(),
                ["partition_by"] = Array(t.PartitionBy, p => JsonValue.Create(p)),
                ["reads_itself"] = t.ReadsItself,
                ["checks"] = t.Checks.Length,
                ["duckdb_file"] = Path.GetFileName(JobRewriteRunner.DuckDbFile(layout, program!, t.Name)),
                ["output"] = Path.GetRelativePath(layout.Folder, layout.OutputOf(t.Name)).Replace('\\', '/'),
            }),
            ["inputs"] = Array(result.Checks.IsDefaultOrEmpty ? [] : result.Checks[0].Inputs, i => new JsonObject
            {
                ["table"] = i.Table,
                ["version"] = i.Version,
                ["rows"] = i.Rows,
            }),
            ["patterns"] = Array(program?.Patterns ?? [], p => new JsonObject
            {
                ["rule"] = p.Rule,
                ["legacy"] = string.Create(CultureInfo.InvariantCulture, $"{p.File}:{p.LineStart}-{p.LineEnd}"),
                ["description"] = p.Description,
                ["sql"] = p.Sql,
            }),
            ["assumptions"] = Array(program?.Assumptions ?? [], a => new JsonObject
            {
                ["id"] = a.Id,
                ["statement"] = a.Statement,
                ["confidence"] = a.Confidence,
                ["alternative"] = a.Alternative,
                ["parameter"] = a.Parameter,
                ["evidence"] = string.Create(CultureInfo.InvariantCulture, $"{a.File}:{a.Line}"),
                ["taken"] = lift is not null && lift.Choices.TryGetValue(a.Id, out var chosen) ? chosen : "stated",
            }),
            ["refusals"] = Array(result.Refusals, r => new JsonObject
            {
                ["file"] = r.File,
                ["line"] = r.Line,
                ["reason"] = r.Reason,
            }),
            ["attempts"] = Array(result.Attempts, a => new JsonObject
            {
                ["number"] = a.Number,
                ["choices"] = new JsonObject(a.Choices.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
                ["source"] = a.Source,
                ["outcome"] = a.Outcome,
                ["match_rate"] = a.MatchRate,
                ["tokens"] = a.Tokens,
                ["cost_usd"] = a.CostUsd,
                ["detail"] = a.Detail,
            }),
            ["reconciliation"] = result.Checks.IsDefaultOrEmpty ? null : new JsonObject
            {
                ["status"] = result.Checks.All(c => c.Exact) ? "exact" : "mismatch",
                ["file"] = "reconciliation.json",
                ["targets"] = Array(result.Checks, c => new JsonObject
                {
                    ["table"] = c.Table,
                    ["status"] = c.Verdict.Status.ToString().ToLowerInvariant(),
                    ["match_rate"] = c.Verdict.MatchRate,
                    ["baseline_version"] = c.BaselineVersion,
                    ["rows_baseline"] = c.Verdict.Rows.Baseline,
                    ["rows_candidate"] = c.Verdict.Rows.Candidate,
                    ["rows_matched"] = c.Verdict.Rows.Matched,
                    ["changed"] = c.Verdict.Rows.Changed,
                    ["missing"] = c.Verdict.Rows.MissingInCandidate,
                    ["extra"] = c.Verdict.Rows.ExtraInCandidate,
                    ["legacy_runner"] = c.Runner is null ? null : new JsonObject
                    {
                        ["status"] = c.Runner.Verdict?.Status.ToString().ToLowerInvariant() ?? "error",
                        ["match_rate"] = c.Runner.Verdict?.MatchRate,
                        ["rows_runner"] = c.Runner.Verdict?.Rows.Baseline,
                        ["rows_matched"] = c.Runner.Verdict?.Rows.Matched,
                        ["error"] = c.Runner.Error,
                    },
                }),
            },
        };
        return root.ToJsonString(JsonDefaults.Artifact) + "\n";
    }

    private static JsonArray Array<T>(IEnumerable<T> items, Func<T, JsonNode?> map) => new([.. items.Select(map)]);
}
