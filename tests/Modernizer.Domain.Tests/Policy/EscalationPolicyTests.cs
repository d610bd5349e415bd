using Modernizer.Domain.Configuration;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Policy;

namespace Modernizer.Domain.Tests.Policy;

/// <summary>X3: each row of the escalation table, thresholds from configuration; X4 routing.</summary>
public sealed class EscalationPolicyTests
{
    private static readonly JobId Job = new("orders_daily");
    private readonly EscalationPolicy _policy = new(ModernizeSettings.Default);

    [Fact]
    public void Missing_metadata_escalates_only_for_a_top_50_job()
    {
        var top = _policy.Evaluate(new MetadataFact(Job, CompletelyMissing: true, VolumeRank: 50, FrequencyRank: null));
        Assert.True(top.Escalate);
        Assert.Equal(EscalationKind.MissingMetadataTopJob, top.Kind);
        Assert.False(_policy.Evaluate(new MetadataFact(Job, true, 51, 80)).Escalate);
        Assert.False(_policy.Evaluate(new MetadataFact(Job, false, 1, 1)).Escalate);
    }

    [Fact]
    public void A_cost_discrepancy_escalates_above_the_configured_amount()
    {
        Assert.False(_policy.Evaluate(new CostFact(Job, 10_000m, 15_000m)).Escalate);
        Assert.True(_policy.Evaluate(new CostFact(Job, 10_000m, 15_000.01m)).Escalate);
        var strict = new EscalationPolicy(EscalationSettings.Default with { CostDiscrepancyUsdPerMonth = 100m }, TagSettings.Default);
        Assert.True(strict.Evaluate(new CostFact(Job, 0m, 101m)).Escalate);
    }

    [Fact]
    public void An_sla_pattern_escalates_only_with_a_data_quality_issue_reaching_downstream()
    {
        Assert.True(_policy.Evaluate(new SlaBreachFact(Job, 3, DataQualityIssue: true, DownstreamImpact: true)).Escalate);
        Assert.False(_policy.Evaluate(new SlaBreachFact(Job, 3, true, false)).Escalate);
        Assert.False(_policy.Evaluate(new SlaBreachFact(Job, 2, true, true)).Escalate);
    }

    [Fact]
    public void A_compliance_critical_job_escalates_only_inside_the_top_five()
    {
        var verdicts = _policy.Evaluate([
            new CandidateFact(5, new JobId("payroll"), ["sox"]),
            new CandidateFact(6, new JobId("gdpr_export"), ["GDPR"]),
            new CandidateFact(1, Job, ["finance"]),
        ]);
        Assert.Equal([1, 5, 6], verdicts.Select(v => v.Candidate.Rank));
        Assert.Equal([false, true, false], verdicts.Select(v => v.Verdict.Escalate));
        Assert.Equal(EscalationKind.ComplianceCriticalInTopFive, verdicts[1].Verdict.Kind);
    }

    [Fact]
    public void Pii_corruption_and_regulatory_rows_follow_their_thresholds()
    {
        Assert.True(_policy.Evaluate(new PiiFact(Job, "email", ReachesOutputUnmasked: true, ComplianceRegime: true)).Escalate);
        Assert.False(_policy.Evaluate(new PiiFact(Job, "email", true, false)).Escalate);
        Assert.True(_policy.Evaluate(new RowCountFact(Job, "curated.orders", 100, 151, ExplainableFanout: false)).Escalate);
        Assert.False(_policy.Evaluate(new RowCountFact(Job, "curated.orders", 100, 300, ExplainableFanout: true)).Escalate);
        Assert.True(_policy.Evaluate(new RowCountFact(Job, "curated.orders", 0, 5, false)).Escalate);
        Assert.True(_policy.Evaluate(new RequirementFact(Job, "REQ-1", "SOX", new Confidence(0.59), false)).Escalate);
        Assert.False(_policy.Evaluate(new RequirementFact(Job, "REQ-1", "SOX", new Confidence(0.60), false)).Escalate);
        Assert.False(_policy.Evaluate(new RequirementFact(Job, "REQ-2", null, new Confidence(0.10), false)).Escalate);
        Assert.True(_policy.Evaluate(new RequirementFact(Job, "REQ-3", null, new Confidence(0.99), ContradictsAnotherChangingOutput: true)).Escalate);
    }

    [Fact]
    public void Reconciliation_routes_accept_retry_or_escalate()
    {
        Assert.Equal(ReconciliationRoute.Accept, _policy.Route(new ReconciliationFact(Job, 1.0, [], 0)).Route);
        Assert.Equal(ReconciliationRoute.RetryRewrite, _policy.Route(new ReconciliationFact(Job, 0.97, ["status"], 0)).Route);
        Assert.Equal(ReconciliationRoute.Escalate, _policy.Route(new ReconciliationFact(Job, 0.97, ["status"], 3)).Route);
        Assert.Equal(ReconciliationRoute.Escalate, _policy.Route(new ReconciliationFact(Job, 0.94, ["status"], 0)).Route);
        var money = _policy.Route(new ReconciliationFact(Job, 0.999, ["Order_Amount"], 0));
        Assert.Equal(ReconciliationRoute.Escalate, money.Route);
        Assert.Contains("Order_Amount", money.Verdict.Rationale, StringComparison.Ordinal);
        var lenient = new EscalationPolicy(EscalationSettings.Default with { AcceptanceThreshold = 0.995 }, TagSettings.Default);
        Assert.Equal(ReconciliationRoute.Accept, lenient.Route(new ReconciliationFact(Job, 0.996, ["status"], 0)).Route);
    }

    [Theory]
    [InlineData("*amount*", "order_AMOUNT_usd", true)]
    [InlineData("*_usd", "price_usd", true)]
    [InlineData("*_usd", "usd_price", false)]
    [InlineData("dob", "dob", true)]
    [InlineData("d?b", "dab", true)]
    [InlineData("ssn", "ssn_hash", false)]
    public void Column_patterns_are_case_insensitive_globs(string pattern, string column, bool matches) =>
        Assert.Equal(matches, new ColumnPatterns([pattern]).Matches(column));
}
