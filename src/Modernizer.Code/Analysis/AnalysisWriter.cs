using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modernizer.Domain.Serialization;

namespace Modernizer.Code.Analysis;

/// <summary>Writes a job's analysis artifacts atomically: analysis.json (docs/workspace.md fields and
/// more), analysis.md, and lineage.json (an OpenLineage RunEvent with the columnLineage facet).</summary>
public static class AnalysisWriter
{
    private const string Producer = "https://github.com/modernizer/modernize/code-reviewer";
    private const string Namespace = "lake";

    public static async Task WriteAsync(JobAnalysis analysis, string jobFolder, DateTimeOffset eventTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        await AtomicFile.WriteJsonAsync(Path.Combine(jobFolder, "analysis.json"), ToDocument(analysis), cancellationToken);
        await AtomicFile.WriteAllTextAsync(Path.Combine(jobFolder, "analysis.md"), ToMarkdown(analysis), cancellationToken);
        await AtomicFile.WriteAllTextAsync(Path.Combine(jobFolder, "lineage.json"), ToOpenLineage(analysis, eventTime).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);
    }

    /// <summary>The analysis.json document (snake_case through <see cref="JsonDefaults.Artifact"/>).</summary>
    public static AnalysisDocument ToDocument(JobAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        return new AnalysisDocument(
            analysis.JobId,
            analysis.Files,
            analysis.Sources,
            analysis.Targets,
            analysis.ColumnLineageMap,
            [.. analysis.AntiPatterns.Select(a => new AntiPatternDocument(a.RuleId, a.File, a.Line, a.EndLine, a.Message, a.Replacement) { Cell = a.Cell, CellLine = a.CellLine })],
            [.. analysis.SuspectedDefects.Select(d => new DefectDocument(d.Id, d.Kind, d.File, d.Line, d.Description, d.Reasoning, d.Confidence) { Cell = d.Cell, CellLine = d.CellLine })],
            analysis.Assumptions,
            analysis.Transformations,
            analysis.Complexity,
            analysis.Pii,
            analysis.Reads,
            analysis.Writes,
            analysis.PlanText,
            analysis.Problems)
        {
            NotUnderstood = analysis.NotUnderstood,
        };
    }

    public static string ToMarkdown(JobAnalysis analysis)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var md = new StringBuilder();
        md.Append(CultureInfo.InvariantCulture, $"# Code analysis: {analysis.JobId}\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Files: {string.Join(", ", analysis.Files)}\n\n");
        md.Append("## Lineage\n\n");
        md.Append(CultureInfo.InvariantCulture, $"- Sources: {Join(analysis.Sources)}\n- Targets: {Join(analysis.Targets)}\n\n");
        if (!analysis.Transformations.IsEmpty)
        {
            md.Append("## Transformations\n\n");
            foreach (var step in analysis.Transformations)
            {
                md.Append(CultureInfo.InvariantCulture, $"- {step.Kind} ({step.File}:{step.Line}): {step.Description}\n");
            }

            md.Append('\n');
        }

        md.Append("## Anti-patterns (set-based replacements)\n\n");
        Table(md, ["Rule", "Where", "Finding", "Replacement"], analysis.AntiPatterns.Select(a => new[] { a.RuleId, Where(a.File, a.Line, a), a.Message, a.Replacement }));
        md.Append("## Suspected defects (reproduced, not fixed)\n\n");
        Table(md, ["Id", "Kind", "Where", "Description", "Reasoning"], analysis.SuspectedDefects.Select(d => new[] { d.Id, d.Kind, Where(d.File, d.Line, d), d.Description, d.Reasoning }));
        md.Append("## Assumptions\n\n");
        Table(md, ["Id", "Where", "Assumption", "Rationale", "Confidence"], analysis.Assumptions.Select(a => new[] { a.Id, $"{a.File}:{a.Line}", a.Statement, a.Rationale, a.Confidence.ToString("0.00", CultureInfo.InvariantCulture) }));
        if (!analysis.Pii.IsEmpty)
        {
            md.Append("## Personal data\n\n");
            Table(md, ["Column", "Category", "Target", "Masked", "Curated, unmasked"], analysis.Pii.Select(p => new[] { p.Column, p.Category, p.TargetTable ?? string.Empty, p.Masked ? "yes" : "no", p.ReachesCuratedOutput ? "**yes**" : "no" }));
        }

        var c = analysis.Complexity;
        md.Append(CultureInfo.InvariantCulture, $"## Complexity\n\n{c.Lines} lines, {c.Functions} functions, cyclomatic {c.CyclomaticComplexity}, {c.Loops} loops ({c.RowLoops} over rows), {c.SparkOperations} Spark operations, {c.SqlStatements} SQL statements, score {c.Score:0.00}\n\n");
        if (!analysis.NotUnderstood.IsEmpty)
        {
            md.Append("## Not understood\n\nNo findings in these files is not evidence of clean code.\n\n");
            foreach (var file in analysis.NotUnderstood)
            {
                md.Append(CultureInfo.InvariantCulture, $"- {file.File}: {file.Reason.Replace('_', ' ')} — {file.Detail}\n");
            }

            md.Append('\n');
        }

        if (!analysis.Problems.IsEmpty)
        {
            md.Append("## Problems\n\n");
            foreach (var problem in analysis.Problems)
            {
                md.Append(CultureInfo.InvariantCulture, $"- {problem.File}:{problem.Line}:{problem.Column}: {problem.Message}\n");
            }

            md.Append('\n');
        }

        md.Append("## Plan\n\n```\n").Append(analysis.PlanText).Append("```\n");
        return md.ToString();
    }

    /// <summary>An OpenLineage RunEvent (spec 2-0-2) with the columnLineage dataset facet (1-2-0)
    /// on every output. The run id is derived from the job id and event time, so a re-run of the
    /// same analysis writes the same event.</summary>
    public static JsonObject ToOpenLineage(JobAnalysis analysis, DateTimeOffset eventTime)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var time = eventTime.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var runId = new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(analysis.JobId + "|" + time)).AsSpan(0, 16));
        var outputs = new JsonArray();
        foreach (var target in analysis.Targets)
        {
            var fields = new JsonObject();
            foreach (var entry in analysis.ColumnLineage.Where(e => e.TargetTable == target))
            {
                var inputs = new JsonArray();
                foreach (var input in entry.Inputs)
                {
                    inputs.Add(new JsonObject
                    {
                        ["namespace"] = Namespace,
                        ["name"] = input.Table,
                        ["field"] = input.Column,
                        ["transformations"] = new JsonArray(new JsonObject
                        {
                            ["type"] = input.Type,
                            ["subtype"] = input.Subtype,
                            ["description"] = string.Empty,
                            ["masking"] = analysis.Pii.Any(p => p.TargetTable == target && p.Column == entry.TargetColumn && p.Masked),
                        }),
                    });
                }

                fields[entry.TargetColumn] = new JsonObject { ["inputFields"] = inputs };
            }

            outputs.Add(new JsonObject
            {
                ["namespace"] = Namespace,
                ["name"] = target,
                ["facets"] = new JsonObject
                {
                    ["columnLineage"] = new JsonObject
                    {
                        ["_producer"] = Producer,
                        ["_schemaURL"] = "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet",
                        ["fields"] = fields,
                    },
                },
            });
        }

        return new JsonObject
        {
            ["eventType"] = "COMPLETE",
            ["eventTime"] = time,
            ["producer"] = Producer,
            ["schemaURL"] = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
            ["run"] = new JsonObject { ["runId"] = runId.ToString() },
            ["job"] = new JsonObject { ["namespace"] = "modernizer", ["name"] = analysis.JobId },
            ["inputs"] = new JsonArray([.. analysis.Sources.Select(s => (JsonNode)new JsonObject { ["namespace"] = Namespace, ["name"] = s })]),
            ["outputs"] = outputs,
        };
    }

    /// <summary><c>file:line</c>, and the notebook cell and its line when the file is a notebook.</summary>
    public static string Where(string file, int line, ICellLocated located)
    {
        ArgumentNullException.ThrowIfNull(located);
        return located.Cell is { } cell
            ? string.Create(CultureInfo.InvariantCulture, $"{file}:{line} (cell {cell}, line {located.CellLine})")
            : string.Create(CultureInfo.InvariantCulture, $"{file}:{line}");
    }

    private static string Join(IEnumerable<string> items) => items.Any() ? string.Join(", ", items) : "(none)";

    private static void Table(StringBuilder md, string[] header, IEnumerable<string[]> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            md.Append("None.\n\n");
            return;
        }

        md.Append("| ").AppendJoin(" | ", header).Append(" |\n|").Append(string.Concat(header.Select(_ => "---|"))).Append('\n');
        foreach (var row in list)
        {
            md.Append("| ").AppendJoin(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' '))).Append(" |\n");
        }

        md.Append('\n');
    }
}
