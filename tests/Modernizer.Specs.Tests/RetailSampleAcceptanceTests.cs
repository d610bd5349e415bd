using System.Collections.Concurrent;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Policy;
using Modernizer.Domain.Workspace;
using Modernizer.Samples;
using Modernizer.Specs.Plans;
using Modernizer.Specs.Requirements;
using Modernizer.Specs.Testing.Running;
using Modernizer.Specs.Tests.Support;

namespace Modernizer.Specs.Tests;

/// <summary>The retail sample, written once for the class: its lake is the legacy output the specs are checked against.</summary>
public sealed class RetailSample : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SpecsRun>>> _runs = new(StringComparer.Ordinal);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "modernizer-specs-retail-" + Guid.NewGuid().ToString("N"));

    public WorkspacePaths Workspace => new(Root);

    public JsonElement Answers { get; private set; }

    public async Task InitializeAsync()
    {
        await SampleWorkspaceWriter.WriteAsync(Root, new SampleOptions(), null, CancellationToken.None);
        using var answers = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Root, "answers.json")));
        Answers = answers.RootElement.Clone();
    }

    public Task<SpecsRun> SpecsAsync(string job, bool tests = false) =>
        _runs.GetOrAdd(job + (tests ? "+tests" : string.Empty), _ => new Lazy<Task<SpecsRun>>(() => SpecsRun.RunAsync(Workspace, new JobId(job), ModernizeSettings.Default, tests))).Value;

    public IEnumerable<string> Jobs => Answers.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("job_id").GetString()!);

    public Task DisposeAsync()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Acceptance on the retail sample (R2.3, R3.1-R3.3, R4.3, X3 rows 6 and 7): specs for all 12 jobs with every
/// filter, join, aggregate and derived column stated and evidenced; every planted defect with a defect-preserving
/// case; the planted regulatory and contradiction cases escalating and nothing else; and generated tests that pass
/// a correct rewrite and fail a broken one.</summary>
public sealed class RetailSampleAcceptanceTests(RetailSample sample) : IClassFixture<RetailSample>
{
    private static readonly string[] SiteKinds = ["filter", "join", "aggregate", "derived_column"];

    [Fact]
    public async Task Every_filter_join_aggregate_and_derived_column_of_every_job_has_a_requirement_with_evidence()
    {
        var missing = new List<string>();
        foreach (var job in sample.Jobs)
        {
            var run = await sample.SpecsAsync(job);
            foreach (var site in run.Inputs.Sites.Where(s => SiteKinds.Contains(s.Kind)))
            {
                var covering = run.Requirements.Requirements.Where(r => r.Origin.Site == site.Id).ToList();
                if (covering.Count == 0 || covering.Any(r => r.Evidence.IsEmpty))
                {
                    missing.Add($"{job} {site.Id} {site.Text}");
                }
            }

            Assert.All(run.Requirements.Requirements, r => Assert.NotEmpty(r.Evidence));
            Assert.Contains(run.Requirements.Requirements, r => r.Status == RequirementStatus.Verified && r.Evidence.Any(e => e.Kind == EvidenceSource.OutputData));
        }

        Assert.True(missing.Count == 0, "sites without requirement: " + string.Join("; ", missing));
    }

    [Fact]
    public async Task Every_planted_defect_is_in_the_spec_appendix_with_a_defect_preserving_case()
    {
        var missing = new List<string>();
        foreach (var job in sample.Answers.GetProperty("jobs").EnumerateArray())
        {
            var run = await sample.SpecsAsync(job.GetProperty("job_id").GetString()!);
            var spec = Spec.SpecBuilder.Build(run.Requirements, run.Inputs.Analysis, run.Inventory);
            foreach (var planted in job.GetProperty("suspected_defects").EnumerateArray())
            {
                var (kind, line) = (planted.GetProperty("kind").GetString(), planted.GetProperty("line").GetInt32());
                var defect = spec.SuspectedDefects.FirstOrDefault(d => d.Kind == kind && d.Line == line);
                if (defect is null || defect.Requirement is null || defect.Tests.IsEmpty)
                {
                    missing.Add($"{run.Inputs.Job} {kind}:{line}");
                }
            }

            Assert.All(spec.ArchitecturalImprovements, a => Assert.False(string.IsNullOrWhiteSpace(a.Replacement)));
            Assert.Equal(spec.Requirements.Length, spec.Traceability.Length);
        }

        Assert.True(missing.Count == 0, "planted defects without a defect-preserving case: " + string.Join("; ", missing));
    }

    [Fact]
    public async Task Only_the_planted_regulatory_case_and_the_planted_contradiction_escalate()
    {
        var policy = new EscalationPolicy(ModernizeSettings.Default);
        var escalating = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var job in sample.Jobs)
        {
            var run = await sample.SpecsAsync(job);
            var reasons = run.Requirements.Requirements
                .Where(r => policy.Evaluate(new RequirementFact(new JobId(job), r.Id, r.Regulation, new Confidence(r.Confidence), false)).Escalate)
                .Select(r => "regulatory:" + r.Category)
                .Concat(run.Requirements.Contradictions.Where(c => policy.Evaluate(new RequirementFact(new JobId(job), c.Id, null, Confidence.Certain, c.ChangesOutput)).Escalate).Select(_ => "contradiction"))
                .ToList();
            if (reasons.Count > 0)
            {
                escalating[job] = reasons;
            }
        }

        Assert.Equal(["orders_daily_revenue", "payments_reconciliation"], escalating.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["regulatory:lookup"], escalating["orders_daily_revenue"]);
        Assert.Equal(["contradiction"], escalating["payments_reconciliation"]);

        var revenue = (await sample.SpecsAsync("orders_daily_revenue")).Requirements.Requirements.Single(r => r.Category == "lookup" && r.Regulation == "SOX");
        Assert.True(revenue.Confidence < 0.6);
        Assert.Contains(revenue.Interpretations, i => i.Chosen && i.Supported is null);
        var contradiction = Assert.Single((await sample.SpecsAsync("payments_reconciliation")).Requirements.Contradictions);
        Assert.Contains("'medium'", contradiction.Reason, StringComparison.Ordinal);
        Assert.Contains(contradiction.Evidence, e => e.Kind == EvidenceSource.OutputData && e.Query is not null);
    }

    [Fact]
    public async Task Low_confidence_readings_are_settled_by_the_legacy_output_where_it_can_tell()
    {
        var usd = await sample.SpecsAsync("orders_usd_normalized");
        var fanOut = usd.Requirements.Requirements.Single(r => r.Category == "suspected_defect" && r.Statement.Contains("fan_out_non_unique_lookup", StringComparison.Ordinal));
        Assert.True(fanOut.InitialConfidence < 0.8);
        Assert.True(fanOut.Confidence >= 0.9);
        Assert.Contains(fanOut.Interpretations, i => i.Chosen && i.Supported == true && i.Query is not null);
        Assert.Equal(RequirementStatus.Verified, fanOut.Status);
    }

    [Fact]
    public async Task Generated_tests_pass_a_correct_rewrite_and_fail_a_changed_rounding_and_a_flipped_predicate()
    {
        const string job = "orders_usd_normalized";
        var run = await sample.SpecsAsync(job, tests: true);
        Assert.Equal(run.Harness!.Coverage.Applicable, run.Harness.Coverage.Reached);
        Assert.All(run.Harness.Cases, c => Assert.Equal(Testing.Harness.ExpectationStatus.Known, c.Expect.Status));
        var layout = RewriteLayout.For(sample.Workspace, new JobId(job));
        var correct = await File.ReadAllTextAsync(MiniShop.Fixture($"retail/{job}/{job}.duckdb.sql"));

        async Task<TestResults> RunWith(string sql)
        {
            Directory.CreateDirectory(layout.Folder);
            await File.WriteAllTextAsync(layout.DuckDbSql, sql);
            return await new TestRunner(new DuckDbCaseExecutor()).RunAsync(sample.Workspace, new JobId(job), null, CancellationToken.None);
        }

        var passing = await RunWith(correct);
        Assert.True(passing.ExitCode == 0, string.Join("; ", passing.Cases.Where(c => c.Status != CaseStatus.Passed).Select(c => $"{c.Id}: {c.Message}")));

        var rounding = await RunWith(correct.Replace("round_even(", "round(", StringComparison.Ordinal));
        Assert.Contains(rounding.FailingCases, c => c.StartsWith("defect_d01_round_half_even", StringComparison.Ordinal));

        var predicate = await RunWith(correct.Replace("BETWEEN DATE '2026-10-01' AND DATE '2026-10-31'", "> DATE '2026-10-01' AND o.order_date <= DATE '2026-10-31'", StringComparison.Ordinal));
        Assert.Contains(predicate.FailingCases, c => c.Contains("boundary_low_at", StringComparison.Ordinal));
    }
}
