using System.Text.Json;
using Modernizer.Code.Analysis;

namespace Modernizer.Code.Tests.Acceptance;

/// <summary>The issue's acceptance on samples/retail against answers.json (R2.1, P1, P2, X3):
/// exact table lineage per job, every planted anti-pattern at its line (within the finding's
/// span), every planted defect at its line, false positives listed and at most one per job.</summary>
public sealed class RetailSampleAcceptanceTests
{
    private static readonly Lazy<Task<(JsonElement Answers, Dictionary<string, JobAnalysis> Results)>> Run = new(RunAsync);

    [Fact]
    public async Task Table_lineage_is_exactly_right_for_every_job()
    {
        var (answers, results) = await Run.Value;
        foreach (var job in answers.GetProperty("jobs").EnumerateArray())
        {
            var analysis = results[job.GetProperty("job_id").GetString()!];
            Assert.Equal(Strings(job, "sources").Order(), analysis.Sources.Order());
            Assert.Equal(Strings(job, "targets").Order(), analysis.Targets.Order());
        }
    }

    [Fact]
    public async Task Every_planted_anti_pattern_is_found_at_its_line()
    {
        var (answers, results) = await Run.Value;
        var missing = new List<string>();
        foreach (var job in answers.GetProperty("jobs").EnumerateArray())
        {
            var analysis = results[job.GetProperty("job_id").GetString()!];
            foreach (var planted in job.GetProperty("anti_patterns").EnumerateArray())
            {
                var (rule, file, line) = (planted.GetProperty("rule_id").GetString(), planted.GetProperty("file").GetString(), planted.GetProperty("line").GetInt32());
                if (!analysis.AntiPatterns.Any(a => a.RuleId == rule && a.File == file && a.Line <= line && line <= a.EndLine))
                {
                    missing.Add($"{analysis.JobId} {rule} {file}:{line}");
                }
            }
        }

        Assert.True(missing.Count == 0, "missing: " + string.Join("; ", missing));
    }

    [Fact]
    public async Task Every_planted_defect_is_found()
    {
        var (answers, results) = await Run.Value;
        var missing = new List<string>();
        foreach (var job in answers.GetProperty("jobs").EnumerateArray())
        {
            var analysis = results[job.GetProperty("job_id").GetString()!];
            foreach (var planted in job.GetProperty("suspected_defects").EnumerateArray())
            {
                var (kind, file, line) = (planted.GetProperty("kind").GetString(), planted.GetProperty("file").GetString(), planted.GetProperty("line").GetInt32());
                if (!analysis.SuspectedDefects.Any(d => d.Kind == kind && d.File == file && d.Line == line))
                {
                    missing.Add($"{analysis.JobId} {kind} {file}:{line}");
                }
            }
        }

        Assert.True(missing.Count == 0, "missing: " + string.Join("; ", missing));
    }

    [Fact]
    public async Task False_positives_are_at_most_one_per_job()
    {
        var (answers, results) = await Run.Value;
        var report = new List<string>();
        foreach (var job in answers.GetProperty("jobs").EnumerateArray())
        {
            var analysis = results[job.GetProperty("job_id").GetString()!];
            var planted = job.GetProperty("anti_patterns").EnumerateArray().Select(p => (p.GetProperty("rule_id").GetString(), p.GetProperty("file").GetString(), p.GetProperty("line").GetInt32())).ToArray();
            var defects = job.GetProperty("suspected_defects").EnumerateArray().Select(p => (p.GetProperty("kind").GetString(), p.GetProperty("file").GetString(), p.GetProperty("line").GetInt32())).ToArray();
            var falsePositives = analysis.AntiPatterns
                .Where(a => !planted.Any(p => p.Item1 == a.RuleId && p.Item2 == a.File && a.Line <= p.Item3 && p.Item3 <= a.EndLine))
                .Select(a => $"{a.RuleId}@{a.File}:{a.Line}")
                .Concat(analysis.SuspectedDefects.Where(d => !defects.Any(p => p.Item1 == d.Kind && p.Item2 == d.File && p.Item3 == d.Line)).Select(d => $"{d.Kind}@{d.File}:{d.Line}"))
                .ToArray();
            report.Add($"{analysis.JobId}: {falsePositives.Length} false positive(s) {string.Join(", ", falsePositives)}");
            Assert.True(falsePositives.Length <= 1, string.Join("\n", report));
        }
    }

    [Fact]
    public async Task Pii_reaching_curated_outputs_matches_the_answer_key_and_escalates()
    {
        var (answers, results) = await Run.Value;
        foreach (var job in answers.GetProperty("jobs").EnumerateArray())
        {
            var analysis = results[job.GetProperty("job_id").GetString()!];
            var expected = Strings(job, "pii_columns").Order().ToArray();
            Assert.Equal(expected, analysis.Pii.Where(p => p.ReachesCuratedOutput).Select(p => p.Column).Distinct().Order().ToArray());
            Assert.Equal(expected.Length > 0, analysis.Escalations.Any(e => e.Kind == Modernizer.Domain.Decisions.EscalationKind.PiiExposure));
        }
    }

    [Fact]
    public async Task Loops_over_collected_rows_carry_their_body_plans_for_set_based_lifting()
    {
        var (answers, results) = await Run.Value;
        var missing = new List<string>();
        foreach (var job in answers.GetProperty("jobs").EnumerateArray())
        {
            var analysis = results[job.GetProperty("job_id").GetString()!];
            var loops = analysis.Plans.OfType<Modernizer.Code.Plan.Loop>().ToArray();
            foreach (var planted in job.GetProperty("anti_patterns").EnumerateArray())
            {
                var (rule, line) = (planted.GetProperty("rule_id").GetString(), planted.GetProperty("line").GetInt32());
                var found = rule switch
                {
                    // ITR01 marks the loop itself: a Loop node there, with what its body does per row.
                    "ITR01" => loops.Any(l => l.Span.Line == line && l.BodyPlans.Count > 0),
                    // ITR02 marks the Spark work inside the body: it is one of a loop's body plans.
                    "ITR02" => loops.Any(l => l.BodyPlans.Any(b => b.Span.Line == line && b is not Modernizer.Code.Plan.Opaque { Inputs.Count: 0 })),
                    _ => true,
                };
                if (!found)
                {
                    missing.Add($"{analysis.JobId} {rule} line {line}");
                }
            }
        }

        Assert.True(missing.Count == 0, "missing: " + string.Join("; ", missing));
    }

    private static IEnumerable<string> Strings(JsonElement job, string property) =>
        job.GetProperty(property).EnumerateArray().Select(e => e.GetString()!);

    private static async Task<(JsonElement, Dictionary<string, JobAnalysis>)> RunAsync()
    {
        var root = FindSample();
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "answers.json")));
        var answers = document.RootElement.Clone();
        var jobs = answers.GetProperty("jobs").EnumerateArray()
            .Select(j => new JobSource(j.GetProperty("job_id").GetString()!, Path.Combine(root, "jobs", j.GetProperty("job_id").GetString()!)))
            .ToArray();
        var results = await new JobAnalyzer().AnalyzeManyAsync(jobs, CancellationToken.None);
        return (answers, results.ToDictionary(r => r.JobId, StringComparer.Ordinal));
    }

    private static string FindSample()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "retail");
            if (File.Exists(Path.Combine(candidate, "answers.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("samples/retail/answers.json not found above " + AppContext.BaseDirectory);
    }
}
