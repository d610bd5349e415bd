using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio.Ingestion;

namespace Modernizer.Portfolio.Scanning;

/// <summary>The Portfolio Scanner (R1.1): ingests the catalog forms and run logs of a workspace into
/// the engine and builds the inventory, with inferences from execution logs, health scores, decisions
/// (X2) and the missing-metadata escalation (X3 row 1). The engine keeps the staged tables, so the
/// FinOps analyst and the prioritizer on the same engine reuse them.</summary>
public sealed class PortfolioScanner(IQueryEngine engine, PortfolioOptions options)
{
    private const string Rule = "R1.1";

    public async Task<ScanResult> ScanAsync(WorkspacePaths workspace, CancellationToken cancellationToken)
    {
        var loaded = await CatalogLoader.LoadAsync(engine, workspace, options, cancellationToken);
        var metrics = await engine.QueryAsync(ScanSql.Metrics, [Sql.P("recent", options.RecentWindowDays)], cancellationToken);
        var edges = await engine.QueryAsync(ScanSql.Edges, null, cancellationToken);
        var asOfValue = (await engine.QueryAsync(ScanSql.AsOf, null, cancellationToken)).Scalar;
        DateTimeOffset? asOf = asOfValue is DateTime dt ? new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)) : asOfValue as DateTimeOffset?;

        var upstream = edges.Each().GroupBy(e => e.Req("downstream")).ToDictionary(
            g => g.Key, g => g.Select(e => new DependencyEdge(e.Req("upstream"), [.. e.Strings("sources")], [.. e.Strings("via")])).ToImmutableArray());
        var downstream = edges.Each().GroupBy(e => e.Req("upstream")).ToDictionary(
            g => g.Key, g => g.Select(e => new DependencyEdge(e.Req("downstream"), [.. e.Strings("sources")], [.. e.Strings("via")])).ToImmutableArray());

        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();
        var escalations = ImmutableArray.CreateBuilder<EscalationRequest>();
        var jobs = ImmutableArray.CreateBuilder<InventoryJob>(metrics.Rows.Length);
        foreach (var row in metrics.Each())
        {
            var job = BuildJob(row, upstream, downstream, decisions);
            jobs.Add(job);
            if (job.MetadataMissing && IsTopJob(row, out var why))
            {
                var evidence = RunEvidence(row);
                var summary = $"Job {job.JobId} has no catalog metadata at all (no jobs row, no job.yaml) and is {why}; " +
                              $"{job.Runs} runs seen in the run logs.";
                escalations.Add(new EscalationRequest(new JobId(job.JobId), StageId.Scan, RoleId.PortfolioScanner, EscalationKind.MissingMetadataTopJob, summary, evidence));
                decisions.Add(Decision(job.JobId, "missing_metadata_top_job", DecisionOutcome.Escalated, 1.0, summary,
                    ["infer the metadata from run logs and continue autonomously"], evidence));
            }
        }

        AddIngestionDecisions(loaded.Ingestion, decisions);
        var inventory = new Inventory(asOf, jobs.ToImmutable(), loaded.Ingestion);
        return new ScanResult(inventory, decisions.ToImmutable(), escalations.ToImmutable());
    }

    private bool IsTopJob(ResultRow row, out string why)
    {
        var frequency = row.Long("frequency_rank");
        var volume = row.Long("volume_rank");
        why = frequency is { } f && f <= options.TopNMetadata ? $"#{f} by run frequency (top {options.TopNMetadata})"
            : volume is { } v && v <= options.TopNMetadata ? $"#{v} by data volume (top {options.TopNMetadata})"
            : "";
        return why.Length > 0;
    }

    private static InventoryJob BuildJob(
        ResultRow row,
        Dictionary<string, ImmutableArray<DependencyEdge>> upstream,
        Dictionary<string, ImmutableArray<DependencyEdge>> downstream,
        ImmutableArray<DecisionDraft>.Builder decisions)
    {
        var jobId = row.Req("job_id");
        var terminal = row.Long("terminal") ?? 0;
        var failed = row.Long("failed") ?? 0;
        var failureRate = terminal > 0 ? (double)failed / terminal : (double?)null;
        var recentTerminal = row.Long("terminal_recent") ?? 0;
        var failureRecent = recentTerminal > 0 ? (double)(row.Long("failed_recent") ?? 0) / recentTerminal : failureRate;
        double? Rate(string f, string t) => (row.Long(t) ?? 0) > 0 ? (double)(row.Long(f) ?? 0) / row.Long(t)!.Value : null;
        var trend = Rate("failed_30", "terminal_30") is { } now && Rate("failed_prev_30", "terminal_prev_30") is { } before ? now - before : (double?)null;

        var inferred = ImmutableSortedDictionary.CreateBuilder<string, InferredValue>(StringComparer.Ordinal);
        var schedule = row.Str("schedule");
        var frequency = ScheduleFrequency.FromSchedule(schedule);
        if (schedule is null && row.Dbl("median_gap") is { } gap && (row.Long("gaps") ?? 0) >= 2)
        {
            var regularity = row.Dbl("regularity") ?? 0;
            var samples = row.Long("gaps") ?? 0;
            var confidence = Math.Round(Math.Clamp(regularity * Math.Min(1.0, samples / 10.0), 0.05, 0.95), 2);
            var value = ScheduleFrequency.FromInterval(gap);
            var evidence = $"{samples} intervals between run starts, median {gap.ToString("0", CultureInfo.InvariantCulture)} s, " +
                           $"{(regularity * 100).ToString("0", CultureInfo.InvariantCulture)}% within 15% of the median ({row.Str("run_evidence")})";
            inferred["schedule"] = new InferredValue(value, confidence, "run cadence", evidence);
            frequency ??= value;
            decisions.Add(Decision(jobId, "metadata_inferred", DecisionOutcome.Autonomous, confidence,
                $"Schedule of {jobId} is missing from the catalog; inferred '{value}' from the run cadence: {evidence}.",
                ["leave the schedule unknown"], RunEvidence(row)));
        }

        if (row.Str("name") is null && row.Str("run_name") is { } runName)
        {
            var share = row.Dbl("run_name_share") ?? 0;
            var confidence = Math.Round(Math.Clamp(0.8 * share, 0.05, 0.8), 2);
            var evidence = $"run_name '{runName}' on {(share * 100).ToString("0", CultureInfo.InvariantCulture)}% of the job's runs ({row.Str("run_evidence")})";
            inferred["name"] = new InferredValue(runName, confidence, "run names", evidence);
            decisions.Add(Decision(jobId, "metadata_inferred", DecisionOutcome.Autonomous, confidence,
                $"Name of {jobId} is missing from the catalog; inferred '{runName}' from {evidence}.", ["leave the name unknown"], RunEvidence(row)));
        }

        var forms = row.Strings("forms");
        if (forms.Distinct().Count() > 1)
        {
            var completeness = row.Str("form_completeness") ?? "[]";
            decisions.Add(Decision(jobId, "catalog_forms_merged", DecisionOutcome.Autonomous, 0.9,
                $"{jobId} appears in the catalog forms [{string.Join(", ", forms)}] (non-null fields out of 5: {completeness}); " +
                $"fields are taken from the most complete form ({row.Str("primary_form")}) and gaps filled from the others.",
                ["take one form only", "prefer the most recent form"],
                [new Evidence(EvidenceKind.Catalog, row.Str("meta_evidence") ?? "catalog")]));
        }

        var (score, components) = HealthScore.Compute(new HealthInputs(
            failureRecent, row.Dbl("runtime_30"), row.Dbl("runtime_before_30"), row.Long("sla_breaches") ?? 0, row.Long("sla_runs") ?? 0,
            row.Long("ticket_weight") ?? 0, row.Dbl("days_since_modified")));

        var ups = upstream.GetValueOrDefault(jobId, []);
        var downs = downstream.GetValueOrDefault(jobId, []);
        return new InventoryJob
        {
            JobId = jobId,
            Name = row.Str("name"),
            Schedule = schedule,
            Runs = row.Long("runs") ?? 0,
            AvgRuntimeS = Round(row.Dbl("avg_runtime_s")),
            FailureRate = Round(failureRate),
            HealthScore = score,
            Upstream = [.. ups.Select(e => e.JobId)],
            Downstream = [.. downs.Select(e => e.JobId)],
            DataVolumeRows = Round(row.Dbl("volume_rows")),
            LastModified = row.Str("last_modified") is { } lm ? DateTimeOffset.Parse(lm, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null,
            Inferred = inferred.ToImmutable(),
            ScheduleFrequency = frequency,
            P95RuntimeS = Round(row.Dbl("p95_runtime_s")),
            FailureRateTrend30d = Round(trend),
            FailureRateRecent = Round(failureRecent),
            HealthComponents = components,
            UpstreamEdges = ups,
            DownstreamEdges = downs,
            DataVolumeBytes = Round(row.Dbl("volume_bytes")),
            TotalRowsProcessed = row.Long("total_rows"),
            Owner = row.Str("owner"),
            Tags = [.. row.Strings("tags")],
            CatalogForms = [.. forms.Distinct()],
            Paused = row.Bool("paused"),
            MetadataMissing = row.Bool("metadata_missing") ?? false,
            HasCode = row.Bool("has_code") ?? false,
            CodeLines = row.Long("code_lines") ?? 0,
            FirstRun = ParseTime(row.Str("first_run")),
            LastRun = ParseTime(row.Str("last_run")),
            FailedRuns = failed,
            SlaBreaches = row.Long("sla_breaches") ?? 0,
            TicketsRecent = row.Long("tickets_recent") ?? 0,
            Evidence = row.Str("meta_evidence") ?? row.Str("run_evidence"),
        };
    }

    private static void AddIngestionDecisions(IngestionReport ingestion, ImmutableArray<DecisionDraft>.Builder decisions)
    {
        if (ingestion.BadRowCount == 0)
        {
            return;
        }

        var evidence = ingestion.BadRows.Take(20).Select(b => new Evidence(EvidenceKind.Catalog, $"{b.File}:{b.Line}", b.Problem)).ToImmutableArray();
        decisions.Add(Decision(null, "bad_rows_skipped", DecisionOutcome.Autonomous, 1.0,
            $"{ingestion.BadRowCount} export rows could not be read and were left out; the rest of each file was ingested " +
            $"(files: {string.Join(", ", ingestion.Files.Where(f => f.RowsBad > 0).Select(f => $"{f.File} ({f.RowsBad})"))}).",
            ["stop the scan on the first bad row"], evidence));
    }

    private static ImmutableArray<Evidence> RunEvidence(ResultRow row) =>
        [new Evidence(EvidenceKind.Catalog, row.Str("run_evidence") ?? "run logs", $"{row.Long("runs")} runs, first {row.Str("first_run")}, last {row.Str("last_run")}")];

    internal static DecisionDraft Decision(string? jobId, string kind, DecisionOutcome outcome, double confidence, string rationale,
        ImmutableArray<string> alternatives, ImmutableArray<Evidence> evidence) =>
        new(jobId is null ? null : new JobId(jobId), StageId.Scan, RoleId.PortfolioScanner, kind, outcome, new Confidence(confidence), Rule, rationale, alternatives, evidence);

    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 4) : null;

    private static DateTimeOffset? ParseTime(string? value) =>
        value is null ? null : DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
