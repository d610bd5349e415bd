using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Lake.Reconciliation;

namespace Modernizer.Lake.Tests.Reconciliation;

/// <summary>X3/X4 routing as a pure function of the verdict.</summary>
public sealed class ReconciliationRoutingTests
{
    private static readonly JobId Job = new("job-1");

    private static ReconciliationVerdict Verdict(long matched, long changed, params ColumnResult[] columns)
    {
        var total = matched + changed;
        var exact = changed == 0;
        return new ReconciliationVerdict
        {
            Status = exact ? ReconciliationStatus.Match : ReconciliationStatus.Mismatch,
            MatchRate = total == 0 ? 1 : (double)matched / total,
            Rows = new RowCounts(total, total, matched, changed, 0, 0, 0, 0, 0, 0, 0),
            Columns = [.. columns],
            Key = ["id"],
            Samples = [],
            Mode = ReconciliationMode.Keyed,
            KeySource = KeySource.Given,
            Waived = new WaivedResult(exact ? ReconciliationStatus.Match : ReconciliationStatus.Mismatch, total == 0 ? 1 : (double)matched / total, matched, changed),
            SchemaDiff = null,
            Waivers = [],
            NondeterministicColumns = [],
            FloatPolicy = FloatPolicy.Default,
            EncodingVersion = Reconciler.EncodingVersion,
            Engine = new EngineInfo("duckdb", "v1", "duckdb"),
            Baseline = new TableInfo("b", "parquet", null),
            Candidate = new TableInfo("c", "parquet", null),
            ConfigHash = "h",
            DiffPath = null,
            Error = null,
            Notes = [],
        };
    }

    private static ColumnResult Col(string name, long mismatches, long introduced = 0, long filled = 0, bool nondeterministic = false) =>
        new(name, mismatches, 1 - (mismatches / 100.0), mismatches, "BIGINT", "BIGINT", true, nondeterministic) { NullsIntroduced = introduced, NullsFilled = filled };

    [Fact]
    public void An_exact_match_passes_as_an_autonomous_decision_of_the_validation_reconciler()
    {
        var result = ReconciliationRouting.Route(Verdict(100, 0, Col("amount", 0)), RoutingPolicy.Default, Job);
        Assert.Equal(ReconciliationRoute.Pass, result.Route);
        Assert.Null(result.Escalation);
        Assert.Equal(DecisionOutcome.Autonomous, result.Decision.Outcome);
        Assert.Equal(RoleId.ValidationReconciler, result.Decision.Role);
        Assert.Equal(StageId.Reconcile, result.Decision.Stage);
        Assert.Equal("X4/exact-match", result.Decision.Rule);
        Assert.Equal(Job, result.Decision.JobId);
        Assert.NotEmpty(result.Decision.Evidence);
    }

    [Fact]
    public void Anything_short_of_exact_does_not_pass_by_default()
    {
        var result = ReconciliationRouting.Route(Verdict(999, 1, Col("v", 1)), RoutingPolicy.Default, Job);
        Assert.Equal(ReconciliationRoute.Rewrite, result.Route);
    }

    [Fact]
    public void A_configured_acceptance_threshold_lets_a_near_match_pass()
    {
        var result = ReconciliationRouting.Route(Verdict(999, 1, Col("v", 1)), RoutingPolicy.Default with { AcceptanceThreshold = 0.995 }, Job);
        Assert.Equal(ReconciliationRoute.Pass, result.Route);
        Assert.Equal("X4/configured-acceptance-threshold", result.Decision.Rule);
    }

    [Fact]
    public void At_95_percent_or_more_the_mismatches_are_classified_and_the_job_goes_back_to_rewriting()
    {
        var result = ReconciliationRouting.Route(Verdict(96, 4, Col("a", 3, introduced: 1), Col("b", 1, filled: 1)), RoutingPolicy.Default, Job, attempt: 1);
        Assert.Equal(ReconciliationRoute.Rewrite, result.Route);
        Assert.Null(result.Escalation);
        Assert.Equal("X4/rewrite-with-diff", result.Decision.Rule);
        Assert.Contains(result.Classifications, c => c is { Subject: "a", Kind: MismatchKind.Regression, Count: 1 } && c.Reason.Contains("NULL", StringComparison.Ordinal));
        Assert.Contains(result.Classifications, c => c is { Subject: "a", Kind: MismatchKind.Regression, Count: 2 });
        Assert.Contains(result.Classifications, c => c is { Subject: "b", Kind: MismatchKind.Improvement, Count: 1 });
    }

    [Fact]
    public void Below_95_percent_the_job_escalates_with_the_report_as_evidence()
    {
        var result = ReconciliationRouting.Route(Verdict(94, 6, Col("a", 6)), RoutingPolicy.Default with { ReportReference = "jobs/job-1/reconciliation.json" }, Job);
        Assert.Equal(ReconciliationRoute.Escalate, result.Route);
        Assert.Equal(EscalationKind.ReconciliationFailure, result.Escalation!.Kind);
        Assert.Equal(DecisionOutcome.Escalated, result.Decision.Outcome);
        Assert.Equal("jobs/job-1/reconciliation.json", result.Escalation.Evidence[0].Reference);
        Assert.Equal("X3/match-rate-below-95", result.Decision.Rule);
    }

    [Fact]
    public void A_financial_column_mismatch_escalates_even_at_a_high_match_rate()
    {
        var policy = RoutingPolicy.Default with { ColumnTags = [new ColumnTag("amount", "financial")], AcceptanceThreshold = 0.99 };
        var result = ReconciliationRouting.Route(Verdict(999, 1, Col("amount", 1)), policy, Job);
        Assert.Equal(ReconciliationRoute.Escalate, result.Route);
        Assert.Equal<string>(["amount"], result.SensitiveColumnsAffected);
        Assert.Equal("X3/financial-regulatory-column", result.Decision.Rule);
    }

    [Fact]
    public void Rewrite_attempts_are_limited()
    {
        var result = ReconciliationRouting.Route(Verdict(99, 1, Col("v", 1)), RoutingPolicy.Default with { MaxRewriteAttempts = 2 }, Job, attempt: 2);
        Assert.Equal(ReconciliationRoute.Escalate, result.Route);
        Assert.Equal("X4/rewrite-attempts-exhausted", result.Decision.Rule);
    }

    [Fact]
    public void Nondeterministic_columns_are_named_in_the_decision_never_silently_matched()
    {
        var verdict = Verdict(100, 0, Col("run_at", 100, nondeterministic: true)) with { Status = ReconciliationStatus.Mismatch, NondeterministicColumns = ["run_at"] };
        var result = ReconciliationRouting.Route(verdict, RoutingPolicy.Default, Job);
        Assert.Equal(ReconciliationRoute.Pass, result.Route);
        Assert.Equal("X4/match-with-declared-waivers", result.Decision.Rule);
        Assert.Contains("run_at", result.Decision.Rationale, StringComparison.Ordinal);
        Assert.Contains("Nondeterministic", result.Decision.Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_verdict_routes_to_error_without_escalating()
    {
        var verdict = Verdict(0, 0) with { Status = ReconciliationStatus.Error, Error = "Cannot read table 'x'" };
        var result = ReconciliationRouting.Route(verdict, RoutingPolicy.Default, Job);
        Assert.Equal(ReconciliationRoute.Error, result.Route);
        Assert.Null(result.Escalation);
        Assert.Contains("Cannot read table 'x'", result.Decision.Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_is_a_pure_function()
    {
        var verdict = Verdict(97, 3, Col("a", 3));
        var first = ReconciliationRouting.Route(verdict, RoutingPolicy.Default, Job);
        var second = ReconciliationRouting.Route(verdict, RoutingPolicy.Default, Job);
        Assert.Equal(first.Decision.Rationale, second.Decision.Rationale);
        Assert.Equal<MismatchClassification>(first.Classifications, second.Classifications);
    }
}
