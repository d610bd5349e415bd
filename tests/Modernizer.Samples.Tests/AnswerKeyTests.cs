using System.Text.Json;
using Modernizer.Domain.Decisions;

namespace Modernizer.Samples.Tests;

/// <summary>Deliverables 3 and 4: answers.json covers every job and points at real code.</summary>
[Collection(SampleWorkspaceCollection.Name)]
public sealed class AnswerKeyTests(SampleWorkspaceFixture sample)
{
    private static readonly HashSet<string> RuleIds =
    [
        "ITR01", "ITR02", "ITR03", "ITR04", "ITR05", "DRV01", "UDF01", "UDF02", "RDD01", "ACT01", "ACT02", "JN01", "WIN01", "WR01",
        "SQL01", "DYN01", "PRT01", "MAT01",
    ];

    private static readonly HashSet<string> DefectKinds =
    [
        "inner_join_drops_rows", "integer_division", "round_half_even", "truthiness", "driver_local_timezone", "off_by_one_date_range",
        "fan_out_non_unique_lookup", "overwrite_without_partition_filter", "float_equality", "swallowed_exception",
    ];

    private JsonElement Answers
    {
        get
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(sample.Workspace, "answers.json")));
            return doc.RootElement.Clone();
        }
    }

    private IEnumerable<JsonElement> Jobs => Answers.GetProperty("jobs").EnumerateArray();

    private IEnumerable<JsonElement> Copies => Answers.GetProperty("templated_jobs").EnumerateArray();

    [Fact]
    public void Answers_cover_every_job_folder_and_nothing_else()
    {
        var folders = Directory.EnumerateDirectories(Path.Combine(sample.Workspace, "jobs")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var answered = Jobs.Concat(Copies).Select(j => j.GetProperty("job_id").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(folders, answered);
        Assert.Equal(12, Jobs.Count());
        Assert.Equal(6, Copies.Count());
    }

    [Fact]
    public void Every_copy_is_its_templates_code_with_the_curated_tables_renamed_and_the_runner_knows_its_template()
    {
        using var mapping = JsonDocument.Parse(File.ReadAllText(Path.Combine(sample.Workspace, "legacy", "templated.json")));
        foreach (var copy in Copies)
        {
            var (name, template) = (copy.GetProperty("job_id").GetString()!, copy.GetProperty("template").GetString()!);
            Assert.Equal(template, mapping.RootElement.GetProperty(name).GetString());
            Assert.True(File.Exists(Path.Combine(sample.Workspace, "legacy", "jobs", template + ".py")));
            foreach (var file in copy.GetProperty("files").EnumerateArray().Select(f => f.GetString()!))
            {
                var original = File.ReadAllLines(Path.Combine(sample.Workspace, "jobs", template, file));
                var copied = File.ReadAllLines(Path.Combine(sample.Workspace, "jobs", name, file));
                // Same lines, so the template's findings hold at the same line numbers.
                Assert.Equal(original.Length, copied.Length);
                Assert.DoesNotContain(copied, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"curated\.(?!{name}__)\w"));
            }

            foreach (var target in copy.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!))
            {
                Assert.StartsWith($"curated.{name}__", target, StringComparison.Ordinal);
                Assert.True(Directory.Exists(Path.Combine(sample.Workspace, "lake", "curated", target["curated.".Length..], "_delta_log")), $"{name}: {target} is not in lake/curated");
            }

            var yaml = File.ReadAllText(Path.Combine(sample.Workspace, "jobs", name, "job.yaml"));
            Assert.Contains($"name: {name}\n", yaml, StringComparison.Ordinal);
            Assert.Contains("tags: [templated]", yaml, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_listed_line_contains_its_marker()
    {
        foreach (var job in Jobs)
        {
            var jobId = job.GetProperty("job_id").GetString()!;
            foreach (var finding in job.GetProperty("anti_patterns").EnumerateArray().Concat(job.GetProperty("suspected_defects").EnumerateArray()))
            {
                var file = Path.Combine(sample.Workspace, "jobs", jobId, finding.GetProperty("file").GetString()!);
                var lines = File.ReadAllLines(file);
                var line = finding.GetProperty("line").GetInt32();
                Assert.InRange(line, 1, lines.Length);
                Assert.Contains(finding.GetProperty("marker").GetString()!, lines[line - 1], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Rule_ids_defect_kinds_and_escalations_use_the_contract_vocabulary()
    {
        var escalations = Enum.GetNames<EscalationKind>().Select(JsonNamingPolicy.SnakeCaseLower.ConvertName).ToHashSet();
        foreach (var job in Jobs)
        {
            Assert.All(job.GetProperty("anti_patterns").EnumerateArray(), a => Assert.Contains(a.GetProperty("rule_id").GetString()!, RuleIds));
            Assert.All(job.GetProperty("suspected_defects").EnumerateArray(), d => Assert.Contains(d.GetProperty("kind").GetString()!, DefectKinds));
            Assert.All(job.GetProperty("escalations").EnumerateArray(), e => Assert.Contains(e.GetString()!, escalations));
            Assert.All(job.GetProperty("files").EnumerateArray(), f =>
                Assert.True(File.Exists(Path.Combine(sample.Workspace, "jobs", job.GetProperty("job_id").GetString()!, f.GetString()!))));
        }

        Assert.All(Answers.GetProperty("portfolio").GetProperty("escalations").EnumerateArray(), e =>
            Assert.Contains(e.GetProperty("kind").GetString()!, escalations));
    }

    [Fact]
    public void The_jobs_together_plant_every_anti_pattern_and_defect_the_issue_lists()
    {
        var rules = Jobs.SelectMany(j => j.GetProperty("anti_patterns").EnumerateArray()).Select(a => a.GetProperty("rule_id").GetString()).ToHashSet();
        var kinds = Jobs.SelectMany(j => j.GetProperty("suspected_defects").EnumerateArray()).Select(d => d.GetProperty("kind").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string> { "ITR01", "ITR02", "ITR03", "ITR04", "ITR05", "UDF01", "JN01", "WR01", "ACT02", "DYN01", "WIN01" }, rules!);
        Assert.Superset(new HashSet<string> {"inner_join_drops_rows", "integer_division", "round_half_even", "truthiness", "driver_local_timezone",
            "off_by_one_date_range", "fan_out_non_unique_lookup"}, kinds!);
        Assert.Contains(Jobs, j => j.GetProperty("compliance").ValueKind == JsonValueKind.String && j.GetProperty("compliance").GetString() == "SOX");
        Assert.Contains(Jobs, j => j.GetProperty("pii_columns").GetArrayLength() > 0 && j.GetProperty("escalations").EnumerateArray().Any(e => e.GetString() == "pii_exposure"));
        Assert.Contains(Jobs, j => j.GetProperty("incremental").GetBoolean());
        Assert.Contains(Jobs, j => j.GetProperty("files").EnumerateArray().Any(f => f.GetString()!.EndsWith(".sql", StringComparison.Ordinal)));
        var notebook = Jobs.SelectMany(j => j.GetProperty("files").EnumerateArray().Select(f => Path.Combine(sample.Workspace, "jobs", j.GetProperty("job_id").GetString()!, f.GetString()!)))
            .Select(File.ReadAllText)
            .Single(t => t.StartsWith("# Databricks notebook source", StringComparison.Ordinal) && t.Contains("# MAGIC %sql", StringComparison.Ordinal));
        Assert.Contains("# COMMAND ----------", notebook, StringComparison.Ordinal);
        Assert.Contains("dbutils.widgets.get", notebook, StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_and_targets_are_tables_of_the_lake()
    {
        foreach (var job in Jobs.Concat(Copies))
        {
            foreach (var table in job.GetProperty("sources").EnumerateArray().Concat(job.GetProperty("targets").EnumerateArray()))
            {
                var parts = table.GetString()!.Split('.');
                Assert.True(Directory.Exists(Path.Combine(sample.Workspace, "lake", parts[0], parts[1], "_delta_log")), $"{job.GetProperty("job_id")}: {table} is not in lake/");
            }
        }
    }

    [Fact]
    public void Every_job_has_a_job_yaml_linking_it_to_its_catalog_row()
    {
        foreach (var job in Jobs.Concat(Copies))
        {
            var yaml = File.ReadAllText(Path.Combine(sample.Workspace, "jobs", job.GetProperty("job_id").GetString()!, "job.yaml"));
            Assert.Contains("target_framework: spark_sql", yaml, StringComparison.Ordinal);
            Assert.Contains("source: lakeflow", yaml, StringComparison.Ordinal);
            Assert.Contains("workspace_id: \"1234567890123456\"", yaml, StringComparison.Ordinal);
        }
    }
}
