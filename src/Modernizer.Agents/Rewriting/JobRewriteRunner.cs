using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Agents.Stages;
using Modernizer.Code.Analysis;
using Modernizer.Code.Emit;
using Modernizer.Code.Frontend;
using Modernizer.Code.Lifting;
using Modernizer.Code.Lifting.Render;
using Modernizer.Code.Plan;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Reconciliation;
using Modernizer.Lake.Tables;
using Modernizer.Lake.Validation;

namespace Modernizer.Agents.Rewriting;

/// <summary>The Code Writer's run for one job (R4.1, X4): lift the legacy code into set-based plans,
/// render them (Spark SQL, DuckDB SQL), run the DuckDB rendering on the inputs the legacy run read
/// (Delta time travel to the legacy output's commit; a job that reads its own target sees the version
/// before), and reconcile each target exactly with the legacy output. A mismatch tries the next
/// interpretation (an assumption's alternative) up to <see cref="RewriteSettings.MaxAttempts"/>. The
/// delivered rewrite is analysed again and must hold no iterative processing (P2). The same code
/// serves the pipeline's stage and <c>modernize rewrite</c>.</summary>
public sealed class JobRewriteRunner(TimeProvider? clock = null)
{
    /// <summary>Code Reviewer rules that flag row-at-a-time processing: what a rewrite must remove (P2).</summary>
    public static bool IsIterative(string ruleId) =>
        ruleId.StartsWith("ITR", StringComparison.Ordinal) || ruleId is "UDF01" or "RDD01";

    public async Task<RewriteResult> RunAsync(WorkspacePaths workspace, JobId job, ModernizeSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        ArgumentNullException.ThrowIfNull(settings);
        var code = workspace.JobCode(job);
        var layout = RewriteLayout.For(workspace, job);
        if (!Directory.Exists(code))
        {
            return await FinishAsync(layout, job, code, Failed($"No code for job {job} in {code}."), null, cancellationToken).ConfigureAwait(false);
        }

        var schemas = await LakeSchemaProvider.LoadAsync(workspace.Lake, cancellationToken).ConfigureAwait(false);
        var loopsBefore = await CountIterativeAsync(job, code, settings, schemas, cancellationToken).ConfigureAwait(false);
        var lift = new LiftSettings(settings.Rewrite.DriverTimeZone, settings.Rewrite.SessionTimeZone, settings.Rewrite.Choices.ToImmutableDictionary(StringComparer.Ordinal))
        {
            Mounts = settings.Lake.Mounts.ToImmutableDictionary(StringComparer.Ordinal),
        };

        var rewriter = new JobRewriter();
        var attempts = ImmutableArray.CreateBuilder<RewriteAttempt>();
        var switchable = new Queue<RewriteAssumption>();
        RewriteResult? last = null;
        for (var number = 1; number <= settings.Rewrite.MaxAttempts; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (number > 1)
            {
                // X4: the next interpretation switches one more assumption to its alternative.
                if (!switchable.TryDequeue(out var next))
                {
                    break;
                }

                lift = lift with { Choices = lift.Choices.SetItem(next.Id, next.Alternative!) };
            }

            var choices = lift.Choices.ToImmutableSortedDictionary(StringComparer.Ordinal);
            var outcome = await rewriter.LiftAsync(job.Value, code, schemas, lift, cancellationToken).ConfigureAwait(false);
            if (!outcome.Succeeded)
            {
                var reasons = string.Join("; ", outcome.Refusals.Take(5).Select(r => r.ToString()));
                attempts.Add(new RewriteAttempt(number, choices, "refused", null, reasons));
                last = new RewriteResult(RewriteStatus.Escalated, $"no exact set-based rewrite: {reasons}", null, outcome.Refusals, [], [], loopsBefore, 0, null);
                break;
            }

            var program = outcome.Program!;
            if (number == 1)
            {
                foreach (var assumption in program.Assumptions.Where(a => a.Alternative is not null && !lift.Choices.ContainsKey(a.Id)).OrderBy(a => a.Confidence))
                {
                    switchable.Enqueue(assumption);
                }
            }

            RenderedJob rendered;
            try
            {
                rendered = JobRenderer.Render(program);
            }
            catch (Exception e) when (e is UnsupportedConstructException or InvalidOperationException or NotSupportedException)
            {
                // A plan the dialects cannot both compute exactly is refused, never approximated.
                var file = program.Patterns.Select(p => p.File).Concat(program.Assumptions.Select(a => a.File)).FirstOrDefault()
                    ?? Directory.EnumerateFiles(code).Select(Path.GetFileName).Order(StringComparer.Ordinal).FirstOrDefault() ?? job.Value;
                var target = program.Targets.FirstOrDefault();
                var refusal = new RewriteRefusal($"{e.Message} (in the rows written to {target?.Name ?? "the target"})", file!, target?.Line ?? 0);
                attempts.Add(new RewriteAttempt(number, choices, "refused", null, refusal.ToString()));
                last = new RewriteResult(RewriteStatus.Escalated, $"no exact set-based rewrite: {refusal}", null, [refusal], [], [], loopsBefore, 0, null);
                break;
            }

            program = program with { Patterns = [.. program.Patterns.Select(p => p with { Sql = WriteFedBy(p, program, rendered) })] };
            var hash = await WriteRenderingsAsync(layout, program, rendered, cancellationToken).ConfigureAwait(false);
            ImmutableArray<TargetCheck> checks;
            try
            {
                checks = await ParallelRunAsync(workspace, settings, layout, program, rendered, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is LakeTableException or IOException or InvalidOperationException or InvalidDataException or DuckDB.NET.Data.DuckDBException)
            {
                attempts.Add(new RewriteAttempt(number, choices, "error", null, e.Message));
                last = new RewriteResult(RewriteStatus.Failed, $"the parallel run failed: {e.Message}", program, [], [], [], loopsBefore, 0, hash);
                break;
            }

            var rate = checks.Min(c => c.Verdict.MatchRate);
            var exact = checks.All(c => c.Exact);
            attempts.Add(new RewriteAttempt(number, choices, exact ? "exact" : "mismatch", rate,
                string.Join("; ", checks.Select(c => $"{c.Table}: {Describe(c.Verdict)}"))));
            if (exact)
            {
                var loopsAfter = await CountIterativeInRewriteAsync(job, layout, settings, schemas, cancellationToken).ConfigureAwait(false);
                last = loopsAfter == 0
                    ? new RewriteResult(RewriteStatus.Validated, $"rewritten set-based and reconciled exactly ({string.Join(", ", checks.Select(c => $"{c.Table}: {c.Verdict.Rows.Matched?.ToString(CultureInfo.InvariantCulture)} rows"))})", program, [], [], checks, loopsBefore, 0, hash)
                    : new RewriteResult(RewriteStatus.Failed, $"the rewrite still holds {loopsAfter} iterative finding(s) when analysed again (P2): not delivered", program, [], [], checks, loopsBefore, loopsAfter, hash);
                break;
            }

            last = new RewriteResult(RewriteStatus.Escalated,
                $"no interpretation reconciled exactly: {string.Join("; ", checks.Where(c => !c.Exact).Select(c => $"{c.Table}: {Describe(c.Verdict)}"))}",
                program, [], [], checks, loopsBefore, 0, hash);
        }

        return await FinishAsync(layout, job, code, (last ?? Failed("no attempt was made (rewrite.max_attempts)")) with { Attempts = attempts.ToImmutable() }, lift, cancellationToken).ConfigureAwait(false);

        RewriteResult Failed(string message) => new(RewriteStatus.Failed, message, null, [], [], [], 0, 0, null);
    }

    private async Task<RewriteResult> FinishAsync(RewriteLayout layout, JobId job, string code, RewriteResult result, LiftSettings? lift, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(layout.Folder);
        if (result.Program is null)
        {
            // Nothing was lifted this time: renderings and outputs of an earlier run must not stay behind
            // looking like this run's rewrite.
            foreach (var stale in Directory.GetFiles(layout.Folder, "*.sql"))
            {
                File.Delete(stale);
            }

            var outputs = Path.Combine(layout.Folder, "output");
            if (Directory.Exists(outputs))
            {
                Directory.Delete(outputs, recursive: true);
            }
        }

        var now = (clock ?? TimeProvider.System).GetUtcNow();
        // The manifest is written last: a folder without it (or with a status other than validated) is
        // never taken for a delivered rewrite.
        await WriteReconciliationsAsync(layout, result, cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(layout.Review, RewriteReview.Render(job, result, layout, code), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(layout.Manifest, RewriteManifestWriter.Render(job, result, layout, lift, now), cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>reconciliation.json/.html beside the job's other artifacts (the names the reconcile stage
    /// uses), each naming the rewrite it reconciled.</summary>
    private static async Task WriteReconciliationsAsync(RewriteLayout layout, RewriteResult result, CancellationToken cancellationToken)
    {
        var jobOutput = Path.GetDirectoryName(layout.Folder)!;
        for (var i = 0; i < result.Checks.Length; i++)
        {
            var check = result.Checks[i];
            var name = i == 0 ? "reconciliation" : "reconciliation." + SafeFolderName.Escape(check.Table);
            await ReconciliationReportWriter.WriteJsonAsync(Path.Combine(jobOutput, name + ".json"), check.Verdict, null, result.Hash, cancellationToken).ConfigureAwait(false);
            await ReconciliationReportWriter.WriteHtmlAsync(Path.Combine(jobOutput, name + ".html"), check.Verdict, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The SQL a lifted construct became: the write of the first target the legacy code writes
    /// after it (a loop feeds the write that follows it), else the job's last write.</summary>
    private static string WriteFedBy(LiftedPattern pattern, JobProgram program, RenderedJob rendered)
    {
        var target = program.Targets.Where(t => t.Line >= pattern.LineEnd).OrderBy(t => t.Line).FirstOrDefault() ?? program.Targets.LastOrDefault();
        return target is not null && rendered.SparkWrites.TryGetValue(target.Name, out var sql) ? sql : string.Empty;
    }

    private static string Describe(ReconciliationVerdict verdict) => string.Create(CultureInfo.InvariantCulture,
        $"{verdict.Status.ToString().ToLowerInvariant()}, match rate {verdict.MatchRate?.ToString("0.######", CultureInfo.InvariantCulture) ?? "n/a"}, {verdict.Rows.Changed} changed, {verdict.Rows.MissingInCandidate} missing, {verdict.Rows.ExtraInCandidate} extra");

    /// <summary>Writes the renderings; stale renderings of an earlier attempt (another target set) go first.</summary>
    private static async Task<string> WriteRenderingsAsync(RewriteLayout layout, JobProgram program, RenderedJob rendered, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(layout.Folder);
        foreach (var stale in Directory.GetFiles(layout.Folder, "*.sql").Concat(new[] { layout.Manifest }.Where(File.Exists)))
        {
            File.Delete(stale);
        }

        await AtomicFile.WriteAllTextAsync(layout.SparkSql, rendered.SparkSql, cancellationToken).ConfigureAwait(false);
        foreach (var target in program.Targets)
        {
            var path = DuckDbFile(layout, program, target.Name);
            await AtomicFile.WriteAllTextAsync(path, rendered.DuckDbSql[target.Name], cancellationToken).ConfigureAwait(false);
        }

        return RewriteLayout.Hash(layout.Folder);
    }

    public static string DuckDbFile(RewriteLayout layout, JobProgram program, string table)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(program);
        return program.Targets.Length == 1 ? layout.DuckDbSql : layout.DuckDbSqlFor(table);
    }

    private static async Task<ImmutableArray<TargetCheck>> ParallelRunAsync(
        WorkspacePaths workspace, ModernizeSettings settings, RewriteLayout layout, JobProgram program, RenderedJob rendered, CancellationToken cancellationToken)
    {
        var checks = ImmutableArray.CreateBuilder<TargetCheck>();
        var temp = Path.Combine(layout.Folder, ".tmp");
        Directory.CreateDirectory(temp);
        try
        {
            foreach (var target in program.Targets)
            {
                var baseline = LakeLocator.Find(workspace, settings.Lake, target.Name)
                    ?? throw new InvalidDataException($"the legacy output {target.Name} is not in the lake ({settings.Lake.Root}/): nothing to reconcile against");
                var legacy = await LakeTable.OpenAsync(baseline, null, cancellationToken).ConfigureAwait(false);
                var inputs = new List<ParallelInput>();
                foreach (var input in program.Inputs)
                {
                    var folder = LakeLocator.Find(workspace, settings.Lake, input)
                        ?? throw new InvalidDataException($"the input {input} is not in the lake ({settings.Lake.Root}/)");
                    if (string.Equals(input, target.Name, StringComparison.OrdinalIgnoreCase))
                    {
                        // The legacy run read its own target as it was before that run wrote it.
                        inputs.Add(legacy.Version is > 0
                            ? new ParallelInput(input, folder, TableVersionSpec.AtVersion(legacy.Version.Value - 1))
                            : new ParallelInput(input, folder, null) { Empty = true });
                    }
                    else
                    {
                        inputs.Add(new ParallelInput(input, folder, legacy.Timestamp is { } at ? TableVersionSpec.AtTimestamp(at) : null));
                    }
                }

                var output = layout.OutputOf(target.Name);
                var run = await ParallelRun.RunAsync(inputs, [new ParallelTarget(target.Name, rendered.DuckDbSql[target.Name], output)], temp, cancellationToken).ConfigureAwait(false);
                ReconciliationVerdict verdict;
                await using (var engine = await DuckDbEngine.OpenAsync(DuckDbSandboxOptions.ForRoots(baseline, output) with { TempDirectory = temp }, cancellationToken).ConfigureAwait(false))
                {
                    verdict = await new Reconciler(engine).ReconcileAsync(new ReconcileRequest(new TableRef(baseline), new TableRef(output)), cancellationToken).ConfigureAwait(false);
                }

                checks.Add(new TargetCheck(target.Name, baseline, legacy.Version, output, verdict,
                    [.. run.Inputs.Select(i => new InputVersion(i.Table, i.Version, i.Rows))]));
            }
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }

        return checks.ToImmutable();
    }

    /// <summary>P2: the deliverable (<c>&lt;job&gt;.sql</c>) analysed by the Code Reviewer as legacy code would be.</summary>
    private static async Task<int> CountIterativeInRewriteAsync(JobId job, RewriteLayout layout, ModernizeSettings settings, ISchemaProvider schemas, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(layout.Folder, ".reanalysis");
        Directory.CreateDirectory(folder);
        try
        {
            File.Copy(layout.SparkSql, Path.Combine(folder, Path.GetFileName(layout.SparkSql)), overwrite: true);
            return await CountIterativeAsync(job, folder, settings, schemas, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Iterative-processing findings of the Code Reviewer over <paramref name="folder"/>.</summary>
    private static async Task<int> CountIterativeAsync(JobId job, string folder, ModernizeSettings settings, ISchemaProvider schemas, CancellationToken cancellationToken)
    {
        var options = AnalyzerOptions.Default with
        {
            Mounts = new LakeMounts([.. settings.Lake.Mounts.Keys, .. LakeMounts.Default.Prefixes.Except(settings.Lake.Mounts.Keys, StringComparer.Ordinal)]),
            Schemas = schemas,
        };
        var analysis = await new JobAnalyzer(options).AnalyzeAsync(new JobSource(job.Value, folder), cancellationToken).ConfigureAwait(false);
        return analysis.AntiPatterns.Count(a => IsIterative(a.RuleId));
    }
}
