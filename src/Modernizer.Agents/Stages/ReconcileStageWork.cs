using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Reconciliation;

namespace Modernizer.Agents.Stages;

/// <summary>Validation Reconciler (R4.4, X4) as a stage: the lake engine's <see cref="Reconciler"/> compares
/// each legacy output table (the baseline, in the lake) with the rewrite's output of the same table
/// (the candidate, <c>.modernize/jobs/&lt;job&gt;/rewrite/output/&lt;schema&gt;.&lt;table&gt;/</c>, produced by
/// running the rewrite on the same inputs); <see cref="ReconciliationRouting"/> routes the verdict in code.
/// With a model, the mismatched rows are also judged regression or improvement for the decision log;
/// routing never depends on it.</summary>
public sealed class ReconcileStageWork(AgentServices services) : RoleStageWork(services)
{
    public override RoleId Role => RoleId.ValidationReconciler;

    public static string CandidateFolder(WorkspacePaths workspace, JobId job, string table) =>
        RewriteLayout.For(workspace, job).OutputOf(table);

    public override async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job ?? throw new ArgumentException("The reconcile stage runs per job.", nameof(context));
        var settings = SettingsOf(context);
        var tables = await JobTables.ReadAsync(context.Workspace, job, cancellationToken).ConfigureAwait(false);
        var paths = new List<string> { JobTables.AnalysisPath(context.Workspace, job), Path.Combine(context.Workspace.JobOutput(job), "rewrite") };
        if (tables is not null)
        {
            paths.AddRange(tables.Targets.Select(t => LakeLocator.Find(context.Workspace, settings.Lake, t)).OfType<string>());
        }

        return await StageInputHash.ComputeAsync(context.Workspace.Root, paths,
            new { model = ModelIdentity, escalation = settings.Escalation, tags = settings.Tags, attempt = context.Attempt }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = context.Job ?? throw new ArgumentException("The reconcile stage runs per job.", nameof(context));
        var settings = SettingsOf(context);
        var tables = await JobTables.ReadAsync(context.Workspace, job, cancellationToken).ConfigureAwait(false);
        if (tables is null || tables.Targets.IsEmpty)
        {
            return new StageOutcome(StageStatus.Failed, [], [], [], $"No target tables known for job {job}: the Code Reviewer's analysis.json is missing or names none.");
        }

        var artifacts = ImmutableArray.CreateBuilder<ArtifactRef>();
        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();
        var escalations = ImmutableArray.CreateBuilder<EscalationRequest>();
        var failed = new List<string>();
        for (var i = 0; i < tables.Targets.Length; i++)
        {
            var table = tables.Targets[i];
            var baseline = LakeLocator.Find(context.Workspace, settings.Lake, table);
            var candidate = CandidateFolder(context.Workspace, job, table);
            if (baseline is null || !Directory.Exists(candidate))
            {
                failed.Add(baseline is null ? $"the legacy output {table} is not in the lake" : $"no rewrite output at {candidate}");
                continue;
            }

            ReconciliationVerdict verdict;
            var diff = Path.Combine(context.Workspace.JobOutput(job), "reconciliation-diff", Safe(table) + ".parquet");
            await using (var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(baseline, candidate, Path.GetDirectoryName(diff)!), cancellationToken).ConfigureAwait(false))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(diff)!);
                var request = new ReconcileRequest(new TableRef(baseline), new TableRef(candidate)) { Options = ReconcileOptions.Default with { DiffPath = diff } };
                verdict = await new Reconciler(engine).ReconcileAsync(request, cancellationToken).ConfigureAwait(false);
            }

            var name = i == 0 ? "reconciliation" : "reconciliation." + Safe(table);
            var policy = Policy(settings, verdict, $"jobs/{WorkspacePaths.JobFolder(job)}/{name}.json");
            var routing = ReconciliationRouting.Route(verdict, policy, job, context.Attempt);
            decisions.Add(routing.Decision);
            if (routing.Escalation is not null)
            {
                escalations.Add(routing.Escalation);
            }

            if (routing.Route is ReconciliationRoute.Rewrite or ReconciliationRoute.Escalate)
            {
                var step = await JudgeMismatchAsync(job, table, verdict, routing, policy, cancellationToken).ConfigureAwait(false);
                decisions.AddRange(step.Decisions);
                escalations.AddRange(step.Escalations);
            }

            var json = Path.Combine(context.Workspace.JobOutput(job), name + ".json");
            var html = Path.Combine(context.Workspace.JobOutput(job), name + ".html");
            var sha = await ReconciliationReportWriter.WriteJsonAsync(json, verdict, routing, RewriteLayout.Hash(RewriteLayout.For(context.Workspace, job).Folder), cancellationToken).ConfigureAwait(false);
            await ReconciliationReportWriter.WriteHtmlAsync(html, verdict, routing, cancellationToken).ConfigureAwait(false);
            artifacts.Add(new ArtifactRef($"jobs/{WorkspacePaths.JobFolder(job)}/{name}.json", sha));
            artifacts.Add(new ArtifactRef($"jobs/{WorkspacePaths.JobFolder(job)}/{name}.html", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(html, cancellationToken).ConfigureAwait(false)))));
        }

        if (failed.Count > 0)
        {
            // Never a partial verdict that looks complete: the stage fails and says what is missing.
            return new StageOutcome(StageStatus.Failed, artifacts.ToImmutable(), decisions.ToImmutable(), Distinct(escalations), string.Join("; ", failed));
        }

        return StageOutcome.Completed(artifacts.ToImmutable(), decisions.ToImmutable(), Distinct(escalations));
    }

    private Task<StepResult<Roles.Definitions.MismatchClassification>> JudgeMismatchAsync(
        JobId job, string table, ReconciliationVerdict verdict, RoutingResult routing, RoutingPolicy policy, CancellationToken cancellationToken)
    {
        var role = Services.Roles.Get<ValidationReconcilerRole>();
        var reference = $"jobs/{WorkspacePaths.JobFolder(job)}/{policy.ReportReference.Split('/').Last()}";
        var sensitive = policy.ColumnTags.Where(t => policy.SensitiveTags.Contains(t.Tag, StringComparer.OrdinalIgnoreCase)).Select(t => t.Column).ToImmutableArray();
        var input = new ReconciliationInput(table, verdict.MatchRate ?? 0,
            [.. verdict.Columns.Where(c => c.Mismatches > 0).Select(c => c.Name)], sensitive,
            [.. verdict.Samples.Take(10).Select(s => $"{s.Class}: baseline={s.Baseline?.GetRawText()} candidate={s.Candidate?.GetRawText()}")]);
        var regression = routing.Classifications.Any(c => c.Kind == MismatchKind.Regression);
        var deterministic = new Roles.Definitions.MismatchClassification(
            regression ? ValidationReconcilerRole.Regression : ValidationReconcilerRole.Improvement,
            string.Join("; ", routing.Classifications.Select(c => $"{c.Subject}: {c.Reason}")), 0.9, [reference]);
        // Sample values are data from the lake: they reach a model only enveloped (docs/security.md).
        var data = input.SampleDiffs.Select(d => new Safety.DataItem(Safety.DataKind.DataValues, reference, d)).ToImmutableArray();
        return Services.Step.DecideAsync(role, new JudgmentRequest<ReconciliationInput>(job, input with { SampleDiffs = [] }, data, [reference], []),
            deterministic, "mismatch_classification", c => $"{table}: {c.Classification}", cancellationToken);
    }

    private static RoutingPolicy Policy(ModernizeSettings settings, ReconciliationVerdict verdict, string report)
    {
        var tags = verdict.Columns.SelectMany(c =>
            settings.Tags.FinancialColumns.Where(g => Glob(g, c.Name)).Select(_ => new ColumnTag(c.Name, "financial"))
                .Concat(settings.Tags.RegulatoryColumns.Where(g => Glob(g, c.Name)).Select(_ => new ColumnTag(c.Name, "regulatory"))))
            .Distinct().ToImmutableArray();
        return RoutingPolicy.Default with
        {
            AcceptanceThreshold = settings.Escalation.AcceptanceThreshold,
            EscalationThreshold = settings.Escalation.ReconciliationEscalateBelow,
            MaxRewriteAttempts = settings.Escalation.RewriteAttempts,
            ColumnTags = tags,
            ReportReference = report,
        };
    }

    private static bool Glob(string pattern, string name) =>
        Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    private static string Safe(string table) => string.Concat(table.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '_'));
}
