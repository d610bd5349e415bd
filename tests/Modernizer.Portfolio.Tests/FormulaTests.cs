using System.Collections.Immutable;
using Modernizer.Portfolio.FinOps;
using Modernizer.Portfolio.Prioritization;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Portfolio.Tests;

/// <summary>The documented formulas (docs/health-score.md, docs/prioritization.md, docs/finops.md).</summary>
public sealed class HealthScoreTests
{
    [Fact]
    public void A_job_with_no_problems_and_fresh_code_scores_ten()
    {
        var (score, components) = HealthScore.Compute(new HealthInputs(0, 100, 100, 0, 10, 0, 10));
        Assert.Equal(10, score);
        Assert.All(components, c => Assert.True(c.Value < 0.01));
    }

    [Fact]
    public void Every_component_at_its_worst_scores_one()
    {
        var (score, components) = HealthScore.Compute(new HealthInputs(0.5, 300, 100, 10, 10, 20, 4000));
        Assert.Equal(1, score);
        Assert.All(components, c => Assert.Equal(1, c.Value));
    }

    [Fact]
    public void Failure_rate_alone_costs_its_weight()
    {
        // 15% failing = badness 0.5, weight 0.35: 10 − 9 × 0.175 = 8.4 → 8 (staleness known and zero)
        var (score, components) = HealthScore.Compute(new HealthInputs(0.15, null, null, 0, 0, 0, 0));
        Assert.Equal(0.5, components.Single(c => c.Name == "failure_rate").Value);
        Assert.Equal(8, score);
    }

    [Fact]
    public void Unknown_last_modified_counts_half_stale()
    {
        var (_, components) = HealthScore.Compute(new HealthInputs(0, null, null, 0, 0, 0, null));
        Assert.Equal(0.5, components.Single(c => c.Name == "staleness").Value);
    }

    [Fact]
    public void Runtime_trend_counts_only_slowdowns()
    {
        Assert.Equal(0.5, HealthScore.Compute(new HealthInputs(0, 150, 100, 0, 0, 0, 0)).Components.Single(c => c.Name == "runtime_trend").Value);
        Assert.Equal(0, HealthScore.Compute(new HealthInputs(0, 50, 100, 0, 0, 0, 0)).Components.Single(c => c.Name == "runtime_trend").Value);
    }
}

public sealed class ScheduleFrequencyTests
{
    [Theory]
    [InlineData("0 2 * * *", "daily")]
    [InlineData("0 0 3 * * ?", "daily")]
    [InlineData("0 30 4 ? * MON", "weekly")]
    [InlineData("0 0 1 1 * ?", "monthly")]
    [InlineData("15 * * * *", "hourly")]
    [InlineData("*/10 * * * *", "every 10 minutes")]
    [InlineData("0 */6 * * *", "every 6 hours")]
    [InlineData("0 2 * * 1-5", "daily (some weekdays)")]
    [InlineData("@daily", "daily")]
    [InlineData("@hourly", "hourly")]
    [InlineData("every 1 hours", "hourly")]
    [InlineData("every 15 minutes", "every 15 minutes")]
    [InlineData("1.00:00:00", "daily")]
    public void Schedules_map_to_frequencies(string schedule, string expected) => Assert.Equal(expected, ScheduleFrequency.FromSchedule(schedule));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("whenever")]
    public void Unreadable_schedules_are_unknown(string? schedule) => Assert.Null(ScheduleFrequency.FromSchedule(schedule));

    [Theory]
    [InlineData(86400, "daily")]
    [InlineData(90000, "daily")]
    [InlineData(3600, "hourly")]
    [InlineData(604800, "weekly")]
    [InlineData(2592000, "monthly")]
    [InlineData(900, "every 15 minutes")]
    [InlineData(43200, "every 12 hours")]
    public void Run_cadence_maps_to_frequencies(double seconds, string expected) => Assert.Equal(expected, ScheduleFrequency.FromInterval(seconds));
}

public sealed class FactorModelTests
{
    private static InventoryJob Job(bool hasCode = true, long lines = 300, double? failureRate = 0.1, int downstream = 0) => new()
    {
        JobId = "j",
        HasCode = hasCode,
        CodeLines = lines,
        FailureRateRecent = failureRate,
        Downstream = [.. Enumerable.Range(0, downstream).Select(i => $"d{i}")],
    };

    [Fact]
    public void Cost_is_the_share_of_the_most_expensive_job()
    {
        Assert.Equal(0.25, FactorModel.Cost(2500m, 10000m));
        Assert.Equal(0, FactorModel.Cost(null, 10000m));
        Assert.Equal(0, FactorModel.Cost(10m, 0m));
    }

    [Fact]
    public void Failure_blends_run_logs_and_incidents()
    {
        var finops = new JobFinOps { JobId = "j", Family = "f", Tickets = 2, IncidentsPer30Days = 2, TicketsBySeverity = new Dictionary<string, long> { ["Sev-2"] = 2 }.ToImmutableSortedDictionary(), SlaRuns = 10, SlaBreaches = 1 };
        var estimate = FactorModel.Failure(Job(failureRate: 0.125), finops);
        Assert.Equal(0.5, estimate.Primary);
        Assert.Equal(0.5 * 1 + 0.5 * 0.5, estimate.Alternative); // 6 weighted tickets per 30 days ÷ 4 capped; 10% breaches ÷ 20%
        Assert.Equal(0.6 * 0.5 + 0.4 * 0.75, FactorModel.Blend(estimate), 10);
    }

    [Fact]
    public void Complexity_says_where_it_came_from()
    {
        Assert.Equal("no_code", FactorModel.Complexity(Job(hasCode: false), null, 0.5).Source);
        Assert.Equal(0.5, FactorModel.Complexity(Job(hasCode: false), null, 0.9).Estimate.Primary);
        var proxy = FactorModel.Complexity(Job(lines: 750), null, 0.5);
        Assert.Equal(("code_size_proxy", 0.7 * 0.5 + 0.3 * 0.5), (proxy.Source, proxy.Estimate.Primary));
        var analysis = new Ingestion.CodeAnalysisSummary("a.json", [], [], 15, 0, []);
        var measured = FactorModel.Complexity(Job(lines: 750), analysis, 0.5);
        Assert.Equal("code_analysis", measured.Source);
        Assert.Equal(0.6 + 0.25 * 0.5 + 0.15 * 0.5, measured.Estimate.Primary, 10);
        Assert.Equal(proxy.Estimate.Primary, measured.Estimate.Alternative);
    }

    [Fact]
    public void Criticality_counts_sla_downstream_and_severe_tickets_but_not_compliance()
    {
        var finops = new JobFinOps { JobId = "j", Family = "f", SlaRuns = 5, TicketsBySeverity = new Dictionary<string, long> { ["Sev-1"] = 3 }.ToImmutableSortedDictionary() };
        Assert.Equal(1.0, FactorModel.Criticality(Job(downstream: 5), finops), 10);
        Assert.Equal(0, FactorModel.Criticality(Job(), null));
    }

    [Fact]
    public void Ease_is_zero_without_code_and_lower_with_hard_rules()
    {
        Assert.Equal(0, FactorModel.Ease(Job(hasCode: false), null).Primary);
        var easy = FactorModel.Ease(Job(lines: 100), new Ingestion.CodeAnalysisSummary("a.json", [], [], 1, 0, ["SQL01"]));
        var hard = FactorModel.Ease(Job(lines: 100), new Ingestion.CodeAnalysisSummary("a.json", [], [], 5, 1, ["UDF01", "RDD01", "DYN01", "ITR03", "ITR05"]));
        Assert.True(easy.Primary > hard.Primary);
        Assert.Equal(1 - (0.5 + 0.3 * 0.05 + 0.2), hard.Primary, 10);
    }

    [Fact]
    public void Problem_score_weighs_tickets_breaches_and_failures()
    {
        Assert.Equal(4 + 2 + 1, FinOpsAnalyst.ProblemScore(4, 2, 5));
    }
}
