using System.Text.Json;
using Modernizer.Domain.Decisions;

namespace Modernizer.Portfolio.Tests;

/// <summary>R1.2 and R1.3 over <see cref="MiniWorld"/>, and the artifacts of tier 1.</summary>
public sealed class MiniWorldFinOpsTests(MiniWorldFixture world) : IClassFixture<MiniWorldFixture>
{
    private FinOps.FinOpsReport Report => world.Result.FinOps.Report;

    private FinOps.MonthlyCost Month(string job, string month) => Assert.Single(Report.MonthlyCosts, m => m.JobId == job && m.Month == month);

    [Fact]
    public void Billing_is_priced_at_the_list_price_valid_at_usage_time()
    {
        Assert.Equal(150.00m, Month("111-101", "2026-02").BillingUsd); // 1000 DBU × $0.15 before the price change
    }

    [Fact]
    public void Retractions_and_restatements_correct_the_usage()
    {
        Assert.Equal(900.00m, Month("111-101", "2026-03").BillingUsd); // (1000 − 1000 + 4500) DBU × $0.20
    }

    [Fact]
    public void Finance_and_run_log_conflicts_are_detected_and_the_higher_cost_is_taken()
    {
        var conflict = Assert.Single(Report.Conflicts, c => c.JobId == "111-101");
        Assert.Equal(("2026-03", 100.00m, 900.00m, "run_log"), (conflict.Month, conflict.FinanceUsd, conflict.RunLogUsd, conflict.Conservative));
        Assert.Equal(900.00m, Month("111-101", "2026-03").CostUsd);
        Assert.DoesNotContain(Report.Conflicts, c => c.JobId == "111-101" && c.Month == "2026-02"); // they agree
        Assert.Contains(world.Result.FinOps.Decisions, d => d.Kind == "finance_conflict_resolved" && d.JobId?.Value == "111-101");
        Assert.Equal(2500.00m, Month("orders_daily", "2026-03").CostUsd); // finance only
    }

    [Fact]
    public void Only_planted_finops_escalations_happen()
    {
        var escalations = world.Result.FinOps.Escalations.Select(e => (e.Kind, e.JobId?.Value)).Order().ToArray();
        Assert.Equal(
            [(EscalationKind.CostDiscrepancy, "111-103"), (EscalationKind.SlaBreachDownstreamImpact, "orders_daily")],
            escalations);
    }

    [Fact]
    public void Tickets_are_attributed_by_id_hint_or_text_and_the_rest_listed()
    {
        var byId = Report.Tickets.ToDictionary(t => t.TicketId);
        Assert.Equal(("orders_daily", "job_id", 1.0), (byId["T1"].JobId, byId["T1"].Method, byId["T1"].Confidence));
        Assert.Equal(("111-103", "name_hint", 0.9), (byId["T2"].JobId, byId["T2"].Method, byId["T2"].Confidence));
        Assert.Equal(("inventory_sync", "summary_text", 0.7), (byId["T3"].JobId, byId["T3"].Method, byId["T3"].Confidence));
        Assert.Equal("T4", Assert.Single(Report.UnmatchedTickets).TicketId);
    }

    [Fact]
    public void Sla_breaches_are_judged_in_the_sla_time_zone_across_dst()
    {
        var orders = Report.Find("orders_daily")!;
        Assert.Equal(9, orders.SlaRuns);
        Assert.Equal(3, orders.SlaBreaches); // the failed run of 03-05, and 06:30 EDT on 03-08 and 03-09; 05:30 EST before is on time
    }

    [Fact]
    public void Rankings_name_the_most_expensive_and_most_problematic()
    {
        Assert.Equal("111-103", Report.Rankings.MostExpensiveJobs[0].Key);
        Assert.Equal("orders_daily", Report.Rankings.MostProblematicJobs[0].Key);
        Assert.Contains(Report.Families, f => f.Family == "orders");
        Assert.NotEmpty(Report.Rankings.MostExpensiveFamilies);
    }

    [Fact]
    public void Backlog_ranks_with_justifications_naming_evidence()
    {
        var candidates = world.Result.Backlog.Backlog.Candidates;
        Assert.Equal(7, candidates.Length);
        Assert.Equal(Enumerable.Range(1, 7), candidates.Select(c => c.Rank));
        Assert.True(candidates.Zip(candidates.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        var feed = candidates.Single(c => c.JobId == "111-103");
        Assert.Contains("$10,000/month", feed.Justification, StringComparison.Ordinal);
        var orders = candidates.Single(c => c.JobId == "orders_daily");
        Assert.Contains("lines of code (proxy: code size", orders.Justification, StringComparison.Ordinal);
        Assert.Contains("compliance: SOX", orders.Justification, StringComparison.Ordinal);
    }

    [Fact]
    public void Compliance_critical_jobs_in_the_top_five_escalate()
    {
        var topFive = world.Result.Backlog.Backlog.Candidates.Where(c => c.Rank <= 5 && c.Compliance.Length > 0).Select(c => c.JobId).Order().ToArray();
        Assert.NotEmpty(topFive);
        var escalated = world.Result.Backlog.Escalations.Select(e => e.JobId!.Value.Value).Order().ToArray();
        Assert.Equal(topFive, escalated);
        Assert.All(world.Result.Backlog.Escalations, e => Assert.Equal(EscalationKind.ComplianceCriticalInTopFive, e.Kind));
    }

    [Fact]
    public void Artifacts_carry_the_contract_fields()
    {
        var root = world.Workspace.Paths;
        using var inventory = JsonDocument.Parse(File.ReadAllText(root.InventoryJson));
        var job = inventory.RootElement.GetProperty("jobs")[0];
        foreach (var field in new[] { "job_id", "name", "schedule", "runs", "avg_runtime_s", "failure_rate", "health_score", "upstream", "downstream", "data_volume_rows", "last_modified", "inferred" })
        {
            Assert.True(job.TryGetProperty(field, out _), field);
        }

        using var backlog = JsonDocument.Parse(File.ReadAllText(root.BacklogJson));
        var candidate = backlog.RootElement.GetProperty("candidates")[0];
        foreach (var field in new[] { "rank", "job_id", "score", "justification" })
        {
            Assert.True(candidate.TryGetProperty(field, out _), field);
        }

        Assert.Equal(["cost", "failure", "complexity", "criticality", "difficulty"], candidate.GetProperty("factors").EnumerateObject().Select(p => p.Name).ToArray());
        Assert.True(File.Exists(root.FinopsJson));
        Assert.StartsWith("job_id,name,schedule", File.ReadAllText(Path.Combine(root.Portfolio, "inventory.csv")), StringComparison.Ordinal);
        Assert.Contains("| 1 |", File.ReadAllText(Path.Combine(root.Portfolio, "backlog.md")), StringComparison.Ordinal);
        Assert.Equal(5, world.Result.Artifacts.Length);
    }
}
