using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio.Ingestion;
using Modernizer.Portfolio.Scanning;

namespace Modernizer.Portfolio.FinOps;

/// <summary>The FinOps Analyst (R1.2): cost per job and month, ticket attribution, SLA breaches,
/// incident frequency and rankings of jobs and families; finance/run-log conflicts resolved to the
/// higher cost and logged (X2); escalations for a cost discrepancy above the threshold and for an
/// SLA-breach pattern with downstream impact (X3 row 2).</summary>
public sealed class FinOpsAnalyst(IQueryEngine engine, PortfolioOptions options)
{
    private const string Rule = "R1.2";

    /// <summary>Runs on the engine the scanner used, or on one the scan's staged tables were attached to
    /// (Staging.PortfolioStage); on a fresh engine the workspace is loaded again first.</summary>
    public async Task<FinOpsResult> AnalyzeAsync(WorkspacePaths workspace, ScanResult scan, CancellationToken cancellationToken)
    {
        var loaded = await engine.QueryAsync(
            "SELECT (SELECT count(*) FROM duckdb_tables() WHERE table_name = 'pf_inventory_ids') + (SELECT count(*) FROM duckdb_views() WHERE view_name = 'pf_inventory_ids')",
            null, cancellationToken);
        if (Convert.ToInt64(loaded.Scalar, CultureInfo.InvariantCulture) == 0)
        {
            await CatalogLoader.LoadAsync(engine, workspace, options, cancellationToken);
        }

        var stager = new ExportStager(engine, workspace.Root);
        foreach (var spec in new[] { ExportSpecs.Costs, ExportSpecs.BillingUsage, ExportSpecs.ListPrices })
        {
            await stager.StageAsync(spec, cancellationToken);
        }

        var ingestion = await stager.ReportAsync(options.MaxListedBadRows, cancellationToken);
        await engine.ExecuteAsync(FinOpsSql.BillingMonth, null, cancellationToken);
        await engine.ExecuteAsync(FinOpsSql.JobMonth,
            [Sql.P("abs_tol", options.CostConflictAbsoluteToleranceUsd), Sql.P("rel_tol", options.CostConflictRelativeTolerance)], cancellationToken);
        await engine.ExecuteAsync(FinOpsSql.Families, [Sql.P("use_tag", options.Family == FamilyRule.TagThenNamePrefix)], cancellationToken);
        var jobRows = await engine.QueryAsync(FinOpsSql.Jobs,
            [Sql.P("pattern_days", options.SlaPatternWindowDays), Sql.P("recent", options.RecentWindowDays)], cancellationToken);
        var monthRows = await engine.QueryAsync(FinOpsSql.Monthly, null, cancellationToken);
        var ticketRows = await engine.QueryAsync(FinOpsSql.Tickets, null, cancellationToken);
        var unpriced = Convert.ToInt64((await engine.QueryAsync(FinOpsSql.Unpriced, null, cancellationToken)).Scalar, CultureInfo.InvariantCulture);

        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();
        var escalations = ImmutableArray.CreateBuilder<EscalationRequest>();
        var monthly = monthRows.Each().Select(r => new MonthlyCost(
            r.Req("job_id"), r.Req("month"), Money(r.Dec("billing_usd")), Money(r.Dec("finance_usd")), Money(r.Dec("cost_usd")) ?? 0m, r.Req("basis"))).ToImmutableArray();
        var conflicts = monthRows.Each().Where(r => r.Bool("conflict") == true).Select(r =>
        {
            var finance = Money(r.Dec("finance_usd"))!.Value;
            var runLog = Money(r.Dec("billing_usd"))!.Value;
            return new FinanceConflict(r.Req("job_id"), r.Req("month"), finance, runLog, Math.Abs(runLog - finance),
                runLog >= finance ? "run_log" : "finance", r.Str("evidence") ?? "");
        }).ToImmutableArray();

        foreach (var conflict in conflicts)
        {
            decisions.Add(Decision(conflict.JobId, "finance_conflict_resolved", DecisionOutcome.Autonomous, 0.9,
                $"Finance report says {Usd(conflict.FinanceUsd)} for {conflict.JobId} in {conflict.Month}, billing usage × list prices says " +
                $"{Usd(conflict.RunLogUsd)}; took the higher ({conflict.Conservative}) as the conservative reading.",
                [conflict.Conservative == "run_log" ? "take the finance report" : "take the billing usage"],
                [.. conflict.Evidence.Split("; ", StringSplitOptions.RemoveEmptyEntries).Select(e => new Evidence(EvidenceKind.Finops, e))]));
        }

        foreach (var group in conflicts.Where(c => c.DifferenceUsd > options.CostDiscrepancyUsdPerMonth).GroupBy(c => c.JobId))
        {
            var worst = group.MaxBy(c => c.DifferenceUsd)!;
            var summary = $"Cost discrepancy for {group.Key}: finance {Usd(worst.FinanceUsd)} vs run logs {Usd(worst.RunLogUsd)} in {worst.Month} " +
                          $"({Usd(worst.DifferenceUsd)}/month, threshold {Usd(options.CostDiscrepancyUsdPerMonth)}); {group.Count()} month(s) above the threshold.";
            var evidence = group.SelectMany(c => c.Evidence.Split("; ", StringSplitOptions.RemoveEmptyEntries))
                .Distinct().Select(e => new Evidence(EvidenceKind.Finops, e)).ToImmutableArray();
            escalations.Add(new EscalationRequest(new JobId(group.Key), StageId.FinOps, RoleId.FinOpsAnalyst, EscalationKind.CostDiscrepancy, summary, evidence));
            decisions.Add(Decision(group.Key, "cost_discrepancy", DecisionOutcome.Escalated, 1.0, summary, ["resolve to the higher cost autonomously"], evidence));
        }

        var tickets = ticketRows.Each().Select(r => new TicketAttribution(
            r.Req("ticket_id"), r.Str("job_id"), r.Str("method"), r.Dbl("confidence"), r.Str("matched_on"), r.Str("severity"), r.Str("category"),
            r.Bool("downstream_impact") ?? false, r.Str("opened_at") is { } o ? DateTimeOffset.Parse(o, CultureInfo.InvariantCulture) : null,
            r.Str("evidence") ?? "")).ToImmutableArray();
        foreach (var ticket in tickets.Where(t => t.Method is "summary_text" or "name_hint"))
        {
            decisions.Add(Decision(ticket.JobId, "ticket_attributed", DecisionOutcome.Autonomous, ticket.Confidence ?? 0.5,
                $"Ticket {ticket.TicketId} has no usable job_id; attributed to {ticket.JobId} because the {ticket.MatchedOn}.",
                ["leave the ticket unattributed"], [new Evidence(EvidenceKind.Finops, ticket.Evidence)]));
        }

        var unmatched = tickets.Where(t => t.JobId is null).ToImmutableArray();
        if (unmatched.Length > 0)
        {
            decisions.Add(Decision(null, "tickets_unmatched", DecisionOutcome.Autonomous, 1.0,
                $"{unmatched.Length} ticket(s) name no known job by id, name hint or summary text and are listed unattributed: " +
                string.Join(", ", unmatched.Take(20).Select(t => t.TicketId)) + ".",
                ["attribute by fuzzy matching"], [.. unmatched.Take(20).Select(t => new Evidence(EvidenceKind.Finops, t.Evidence))]));
        }

        var jobs = jobRows.Each().Select(r => ToJob(r)).ToImmutableArray();
        var inventoryById = scan.Inventory.Jobs.ToDictionary(j => j.JobId, StringComparer.Ordinal);
        foreach (var job in jobs.Where(j => j.SlaBreachesInPatternWindow >= options.SlaPatternMinBreaches))
        {
            var inventoryJob = inventoryById.GetValueOrDefault(job.JobId);
            var downstreamJobs = inventoryJob?.Downstream ?? [];
            var anyTickets = tickets.Length > 0;
            var impacted = job.DownstreamImpactTickets > 0 || (!anyTickets && downstreamJobs.Length > 0);
            var evidence = ImmutableArray.CreateBuilder<Evidence>();
            evidence.Add(new Evidence(EvidenceKind.Finops, jobRows.Each().First(r => r.Req("job_id") == job.JobId).Str("sla_evidence") ?? "finops/slas.csv",
                $"{job.SlaBreachesInPatternWindow} SLA breaches in the last {options.SlaPatternWindowDays} days"));
            evidence.AddRange(tickets.Where(t => t.JobId == job.JobId && t.DownstreamImpact).Select(t => new Evidence(EvidenceKind.Finops, t.Evidence, $"ticket {t.TicketId}: downstream impact")));
            if (downstreamJobs.Length > 0)
            {
                evidence.Add(new Evidence(EvidenceKind.Catalog, "portfolio/inventory.json", "downstream jobs: " + string.Join(", ", downstreamJobs)));
            }

            if (impacted)
            {
                var summary = $"{job.JobId} breached its SLA {job.SlaBreachesInPatternWindow} times in the last {options.SlaPatternWindowDays} days " +
                              $"and {(job.DownstreamImpactTickets > 0 ? $"{job.DownstreamImpactTickets} ticket(s) report downstream impact" : $"feeds {downstreamJobs.Length} downstream job(s)")}: " +
                              "an active data-quality issue affecting consumers is likely.";
                escalations.Add(new EscalationRequest(new JobId(job.JobId), StageId.FinOps, RoleId.FinOpsAnalyst, EscalationKind.SlaBreachDownstreamImpact, summary, evidence.ToImmutable()));
                decisions.Add(Decision(job.JobId, "sla_breach_downstream_impact", DecisionOutcome.Escalated, 0.8, summary, ["record the breaches only"], evidence.ToImmutable()));
            }
            else
            {
                decisions.Add(Decision(job.JobId, "sla_breach_pattern_no_impact", DecisionOutcome.Autonomous, 0.7,
                    $"{job.JobId} breached its SLA {job.SlaBreachesInPatternWindow} times in the last {options.SlaPatternWindowDays} days but no downstream impact is reported; recorded, not escalated.",
                    ["escalate the pattern"], evidence.ToImmutable()));
            }
        }

        var unknownFinanceJobs = monthly.Where(m => m.FinanceUsd is not null && !inventoryById.ContainsKey(m.JobId)).Select(m => m.JobId).Distinct().ToArray();
        if (unknownFinanceJobs.Length > 0)
        {
            decisions.Add(Decision(null, "finance_job_not_in_inventory", DecisionOutcome.Autonomous, 0.9,
                $"The finance report names {unknownFinanceJobs.Length} job(s) the catalog and run logs do not know: {string.Join(", ", unknownFinanceJobs.Take(20))}; their costs are kept in the monthly costs but not ranked.",
                ["drop the rows"], [new Evidence(EvidenceKind.Finops, "finops/costs.csv")]));
        }

        if (unpriced > 0)
        {
            decisions.Add(Decision(null, "usage_without_price", DecisionOutcome.Autonomous, 0.8,
                $"{unpriced} billing usage record(s) had no list price valid at their usage time for their SKU; they add no cost.",
                ["price them at the nearest price"], [new Evidence(EvidenceKind.Finops, "finops/billing/usage")]));
        }

        if (ingestion.BadRowCount > 0)
        {
            decisions.Add(Decision(null, "bad_rows_skipped", DecisionOutcome.Autonomous, 1.0,
                $"{ingestion.BadRowCount} finops export rows could not be read and were left out; the rest was used.",
                ["stop on the first bad row"], [.. ingestion.BadRows.Take(20).Select(b => new Evidence(EvidenceKind.Finops, $"{b.File}:{b.Line}", b.Problem))]));
        }

        var families = Families(jobs);
        var report = new FinOpsReport(scan.Inventory.AsOf, options.Family.ToString(), jobs, families, monthly, conflicts,
            [.. tickets.Where(t => t.JobId is not null)], unmatched, Rank(jobs, families), unpriced, ingestion);
        return new FinOpsResult(report, decisions.ToImmutable(), escalations.ToImmutable());
    }

    private JobFinOps ToJob(ResultRow r)
    {
        var bySeverity = r.Str("by_severity") is { } json
            ? JsonSerializer.Deserialize<Dictionary<string, long>>(json)!.ToImmutableSortedDictionary(StringComparer.Ordinal)
            : ImmutableSortedDictionary<string, long>.Empty;
        var ticketWeight = r.Long("ticket_weight") ?? 0;
        var breaches = r.Long("breaches") ?? 0;
        var failed = r.Long("failed_recent") ?? 0;
        return new JobFinOps
        {
            JobId = r.Req("job_id"),
            Name = r.Str("name"),
            Family = r.Str("family") ?? "other",
            CostUsdPerMonth = Money(r.Dec("per_month")),
            LatestMonthCostUsd = Money(r.Dec("latest")),
            CostMonths = (int)(r.Long("months") ?? 0),
            CostBasis = r.Str("basis"),
            Tickets = r.Long("tickets") ?? 0,
            TicketsBySeverity = bySeverity,
            IncidentsPer30Days = r.Dbl("incidents_per_30d") is { } i ? Math.Round(i, 3) : null,
            DownstreamImpactTickets = r.Long("impact_tickets") ?? 0,
            SlaRuns = r.Long("sla_runs") ?? 0,
            SlaBreaches = breaches,
            SlaBreachesInPatternWindow = r.Long("breaches_window") ?? 0,
            FailedRunsRecent = failed,
            ProblemScore = ProblemScore(ticketWeight, breaches, failed),
        };
    }

    /// <summary>Severity-weighted tickets (Sev-1 = 4 … Sev-4 = 1) + SLA breaches + failed runs ÷ 5
    /// (docs/finops.md).</summary>
    internal static double ProblemScore(long ticketWeight, long slaBreaches, long failedRuns) =>
        Math.Round(ticketWeight + slaBreaches + failedRuns / 5.0, 2);

    private static ImmutableArray<FamilyFinOps> Families(ImmutableArray<JobFinOps> jobs) =>
        [.. jobs.GroupBy(j => j.Family).Select(g => new FamilyFinOps(
                g.Key, g.Count(), g.Sum(j => j.CostUsdPerMonth ?? 0m), g.Sum(j => j.Tickets), g.Sum(j => j.SlaBreaches), Math.Round(g.Sum(j => j.ProblemScore), 2)))
            .OrderBy(f => f.Family, StringComparer.Ordinal)];

    private FinOpsRankings Rank(ImmutableArray<JobFinOps> jobs, ImmutableArray<FamilyFinOps> families)
    {
        ImmutableArray<RankingEntry> Top<T>(IEnumerable<T> items, Func<T, double> value, Func<T, string> key, Func<T, string> detail) =>
        [
            .. items.Where(i => value(i) > 0).OrderByDescending(value).ThenBy(key, StringComparer.Ordinal).Take(options.RankingLength)
                .Select((item, index) => new RankingEntry(index + 1, key(item), Math.Round(value(item), 2), detail(item))),
        ];

        return new FinOpsRankings(
            Top(jobs, j => (double)(j.CostUsdPerMonth ?? 0), j => j.JobId, j => $"{Usd(j.CostUsdPerMonth ?? 0)}/month over {j.CostMonths} month(s) ({j.CostBasis})"),
            Top(jobs, j => j.ProblemScore, j => j.JobId, j => $"{j.Tickets} tickets, {j.SlaBreaches} SLA breaches, {j.FailedRunsRecent} failed runs (recent)"),
            Top(families, f => (double)f.CostUsdPerMonth, f => f.Family, f => $"{Usd(f.CostUsdPerMonth)}/month over {f.Jobs} job(s)"),
            Top(families, f => f.ProblemScore, f => f.Family, f => $"{f.Tickets} tickets, {f.SlaBreaches} SLA breaches over {f.Jobs} job(s)"));
    }

    internal static string Usd(decimal value) => "$" + value.ToString("#,##0.##", CultureInfo.InvariantCulture);

    private static decimal? Money(decimal? value) => value is { } v ? Math.Round(v, 2, MidpointRounding.AwayFromZero) : null;

    private static DecisionDraft Decision(string? jobId, string kind, DecisionOutcome outcome, double confidence, string rationale,
        ImmutableArray<string> alternatives, ImmutableArray<Evidence> evidence) =>
        new(jobId is null ? null : new JobId(jobId), StageId.FinOps, RoleId.FinOpsAnalyst, kind, outcome, new Confidence(confidence), Rule, rationale, alternatives, evidence);
}
