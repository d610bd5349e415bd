using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Agents.Roles.Definitions;
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
public sealed class JobRewriteRunner(TimeProvider? clock = null, IRewriteModel? model = null)
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
        var analysis = await AnalyzeAsync(job, code, settings, schemas, cancellationToken).ConfigureAwait(false);
        var loopsBefore = analysis.AntiPatterns.Count(a => IsIterative(a.RuleId));
        var lift = new LiftSettings(settings.Rewrite.DriverTimeZone, settings.Rewrite.SessionTimeZone, settings.Rewrite.Choices.ToImmutableDictionary(StringComparer.Ordinal))
        {
            Mounts = settings.Lake.Mounts.ToImmutableDictionary(StringComparer.Ordinal),
        };

        var run = new Run(workspace, job, settings, layout, schemas, loopsBefore);
        var rewriter = new JobRewriter();
        var switchable = new Queue<RewriteAssumption>();
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
                run.Attempts.Add(new RewriteAttempt(run.Attempts.Count + 1, choices, "refused", null, reasons));
                run.Last = new RewriteResult(RewriteStatus.Escalated, $"no exact set-based rewrite: {reasons}", null, outcome.Refusals, [], [], loopsBefore, 0, null);
                if (model is not null)
                {
                    // X1: what the lifter cannot lift goes to the model, whose answer must pass the same gates.
                    await AskModelAsync(run, rewriter, analysis, outcome.Refusals, lift, reasons, cancellationToken).ConfigureAwait(false);
                }

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

            if (await ProveAsync(run, program, choices, "lifter", code, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        return await FinishAsync(layout, job, code, (run.Last ?? Failed("no attempt was made (rewrite.max_attempts)")) with { Attempts = run.Attempts.ToImmutable() }, lift, cancellationToken).ConfigureAwait(false);

        RewriteResult Failed(string message) => new(RewriteStatus.Failed, message, null, [], [], [], 0, 0, null);
    }

    /// <summary>The state of one job's run: its attempts so far and the result that stands.</summary>
    private sealed record Run(WorkspacePaths Workspace, JobId Job, ModernizeSettings Settings, RewriteLayout Layout, ISchemaProvider Schemas, int LoopsBefore)
    {
        public ImmutableArray<RewriteAttempt>.Builder Attempts { get; } = ImmutableArray.CreateBuilder<RewriteAttempt>();

        public RewriteResult? Last { get; set; }
    }

    /// <summary>The gates every candidate passes, whoever wrote it: render in both dialects, run the DuckDB
    /// rendering on the legacy run's inputs, reconcile every target exactly (against the legacy output and
    /// the legacy runner), analyse the delivered SQL for loops (P2). True when the run is settled: validated,
    /// or failed in a way no other interpretation can change.</summary>
    private static async Task<bool> ProveAsync(Run run, JobProgram program, ImmutableSortedDictionary<string, string> choices, string source, string code, CancellationToken cancellationToken)
    {
        var number = run.Attempts.Count + 1;
        var layout = run.Layout;
        RenderedJob rendered;
        try
        {
            rendered = JobRenderer.Render(program);
        }
        catch (Exception e) when (e is UnsupportedConstructException or InvalidOperationException or NotSupportedException)
        {
            // A plan the dialects cannot both compute exactly is refused, never approximated.
            var file = program.Patterns.Select(p => p.File).Concat(program.Assumptions.Select(a => a.File)).FirstOrDefault()
                ?? Directory.EnumerateFiles(code).Select(Path.GetFileName).Order(StringComparer.Ordinal).FirstOrDefault() ?? run.Job.Value;
            var target = program.Targets.FirstOrDefault();
            var refusal = new RewriteRefusal($"{e.Message} (in the rows written to {target?.Name ?? "the target"})", file!, target?.Line ?? 0);
            run.Attempts.Add(new RewriteAttempt(number, choices, "refused", null, refusal.ToString()) { Source = source });
            run.Last = new RewriteResult(RewriteStatus.Escalated, $"no exact set-based rewrite: {refusal}", null, [refusal], [], [], run.LoopsBefore, 0, null);
            return true;
        }

        program = program with { Patterns = [.. program.Patterns.Select(p => p with { Sql = WriteFedBy(p, program, rendered) })] };
        var hash = await WriteRenderingsAsync(layout, program, rendered, cancellationToken).ConfigureAwait(false);
        ImmutableArray<TargetCheck> checks;
        try
        {
            checks = await ParallelRunAsync(run.Workspace, run.Job, run.Settings, layout, program, rendered, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LakeTableException or IOException or InvalidOperationException or InvalidDataException or DuckDB.NET.Data.DuckDBException)
        {
            run.Attempts.Add(new RewriteAttempt(number, choices, "error", null, e.Message) { Source = source });
            run.Last = new RewriteResult(RewriteStatus.Failed, $"the parallel run failed: {e.Message}", program, [], [], [], run.LoopsBefore, 0, hash);
            return true;
        }

        var rate = checks.Min(c => c.MatchRate);
        var exact = checks.All(c => c.Exact);
        run.Attempts.Add(new RewriteAttempt(number, choices, exact ? "exact" : "mismatch", rate, string.Join("; ", checks.Select(Describe))) { Source = source });
        if (exact)
        {
            var loopsAfter = await CountIterativeInRewriteAsync(run.Job, layout, run.Settings, run.Schemas, cancellationToken).ConfigureAwait(false);
            run.Last = loopsAfter == 0
                ? new RewriteResult(RewriteStatus.Validated, $"rewritten set-based{(source == "model" ? " by the model's proposal" : string.Empty)} and reconciled exactly ({string.Join(", ", checks.Select(c => $"{c.Table}: {c.Verdict.Rows.Matched?.ToString(CultureInfo.InvariantCulture)} rows"))})", program, [], [], checks, run.LoopsBefore, 0, hash)
                : new RewriteResult(RewriteStatus.Failed, $"the rewrite still holds {loopsAfter} iterative finding(s) when analysed again (P2): not delivered", program, [], [], checks, run.LoopsBefore, loopsAfter, hash);
            return true;
        }

        run.Last = new RewriteResult(RewriteStatus.Escalated,
            $"no interpretation reconciled exactly: {string.Join("; ", checks.Where(c => !c.Exact).Select(Describe))}",
            program, [], [], checks, run.LoopsBefore, 0, hash);
        return false;
    }

    /// <summary>The model path (X1, X4): the model proposes one query per target; the proposal is written
    /// as a Spark SQL job and goes through the lifter (parse, plan) and <see cref="ProveAsync"/> like any
    /// rewrite. What a gate says goes back to the model for the next attempt, within rewrite.max_attempts.
    /// Only the engine's own renderings of the parsed plan run, in the sandbox; the model's text never does.</summary>
    private async Task AskModelAsync(Run run, JobRewriter rewriter, JobAnalysis analysis, ImmutableArray<RewriteRefusal> refusals, LiftSettings lift, string liftReasons, CancellationToken cancellationToken)
    {
        var code = run.Workspace.JobCode(run.Job);
        var targets = Shapes(analysis.Targets, run.Schemas);
        var inputs = Shapes(analysis.Sources.Where(s => !analysis.Targets.Contains(s, StringComparer.OrdinalIgnoreCase)), run.Schemas);
        var allowed = analysis.Sources.Concat(analysis.Targets).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var feedback = ImmutableArray.CreateBuilder<string>();
        var choices = lift.Choices.ToImmutableSortedDictionary(StringComparer.Ordinal);
        var budget = Math.Max(1, run.Settings.Rewrite.MaxAttempts - run.Attempts.Count);
        for (var asked = 0; asked < budget; asked++)
        {
            var answer = await model!.ProposeAsync(new ModelRewriteRequest(run.Job, code, refusals, inputs, targets, feedback.ToImmutable()), cancellationToken).ConfigureAwait(false);
            var number = run.Attempts.Count + 1;
            if (answer.Proposal is null)
            {
                run.Attempts.Add(new RewriteAttempt(number, choices, "no_proposal", null, answer.Detail) { Source = "model", Tokens = answer.Tokens, CostUsd = answer.CostUsd, InstructionsHash = answer.InstructionsHash });
                run.Last = run.Last! with { Message = $"no exact set-based rewrite: {liftReasons}; {answer.Detail}" };
                return;
            }

            var folder = Path.Combine(run.Layout.Folder, ".model");
            LiftOutcome outcome;
            try
            {
                await WriteProposalAsync(folder, code, answer.Proposal, cancellationToken).ConfigureAwait(false);
                outcome = await rewriter.LiftAsync(run.Job.Value, folder, run.Schemas, lift, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }

            var gate = !outcome.Succeeded
                ? "the proposal does not parse and plan: " + string.Join("; ", outcome.Refusals.Take(5).Select(r => r.Reason))
                : outcome.Program!.Inputs.FirstOrDefault(i => !allowed.Contains(i)) is { } stranger
                    ? $"the proposal reads {stranger}, which the legacy job does not read"
                    : null;
            if (gate is not null)
            {
                run.Attempts.Add(new RewriteAttempt(number, choices, "refused", null, gate) { Source = "model", Tokens = answer.Tokens, CostUsd = answer.CostUsd, InstructionsHash = answer.InstructionsHash });
                run.Last = run.Last! with { Message = $"no exact set-based rewrite: {liftReasons}; the model's last proposal: {gate}" };
                feedback.Add($"attempt {number}: {gate}");
                continue;
            }

            var program = outcome.Program! with
            {
                Patterns = [.. refusals.Select(r => new LiftedPattern("model_rewrite", r.File, r.Line, r.Line,
                    $"refused by the lifter ({r.Reason}); rewritten from the model's proposal, which passed parse, plan, sandbox run, exact reconciliation and re-analysis"))],
            };
            var settled = await ProveAsync(run, program, choices, "model", code, cancellationToken).ConfigureAwait(false);
            var last = run.Attempts[^1];
            run.Attempts[^1] = last with { Tokens = answer.Tokens, CostUsd = answer.CostUsd, InstructionsHash = answer.InstructionsHash, Detail = answer.Detail + " → " + last.Detail };
            if (run.Last!.Status == RewriteStatus.Validated)
            {
                return;
            }

            // A candidate that was not delivered leaves the refusal standing, with what the model's try gave.
            run.Last = run.Last with { Status = RewriteStatus.Escalated, Message = $"no exact set-based rewrite: {liftReasons}; the model's last proposal: {run.Last.Message}", Refusals = refusals };
            feedback.Add($"attempt {number}: {last.Detail}");
            if (settled && last.Outcome == "error")
            {
                return;
            }
        }
    }

    /// <summary>The proposal as a Spark SQL job: one write per target, beside a copy of job.yaml (its parameters).</summary>
    private static async Task WriteProposalAsync(string folder, string code, SetBasedRewriteProposal proposal, CancellationToken cancellationToken)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        var jobYaml = Path.Combine(code, "job.yaml");
        if (File.Exists(jobYaml))
        {
            File.Copy(jobYaml, Path.Combine(folder, "job.yaml"));
        }

        var script = new System.Text.StringBuilder();
        foreach (var target in proposal.Targets)
        {
            var table = string.Join('.', target.Table.Split('.').Select(p => "`" + p.Replace("`", "``", StringComparison.Ordinal) + "`"));
            script.Append(target.Mode == "append" ? "INSERT INTO " : "INSERT OVERWRITE TABLE ").Append(table).Append('\n')
                .Append(target.SelectSql.Trim().TrimEnd(';')).Append(";\n\n");
        }

        await File.WriteAllTextAsync(Path.Combine(folder, "main.sql"), script.ToString(), cancellationToken).ConfigureAwait(false);
    }

    private static ImmutableArray<TableShape> Shapes(IEnumerable<string> tables, ISchemaProvider schemas) =>
        [.. tables.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).Select(t => new TableShape(t,
            schemas.SchemaOf(t) is { IsKnown: true } schema ? [.. schema.Columns.Select(c => $"{c.Name} {c.Type.SqlText}")] : []))];

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

    private static string Describe(TargetCheck check) => check.Runner is null
        ? $"{check.Table}: {Describe(check.Verdict)}"
        : $"{check.Table}: {Describe(check.Verdict)}; against the legacy runner: {(check.Runner.Verdict is { } runner ? Describe(runner) : "no verdict, " + check.Runner.Error)}";

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
        WorkspacePaths workspace, JobId job, ModernizeSettings settings, RewriteLayout layout, JobProgram program, RenderedJob rendered, CancellationToken cancellationToken)
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

                var runner = LegacyRunnerCheck.Available(workspace)
                    ? await LegacyRunnerCheck.RunAsync(workspace, job, target.Name, inputs, output, temp, cancellationToken).ConfigureAwait(false)
                    : null;
                checks.Add(new TargetCheck(target.Name, baseline, legacy.Version, output, verdict,
                    [.. run.Inputs.Select(i => new InputVersion(i.Table, i.Version, i.Rows))], runner));
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
    private static async Task<int> CountIterativeAsync(JobId job, string folder, ModernizeSettings settings, ISchemaProvider schemas, CancellationToken cancellationToken) =>
        (await AnalyzeAsync(job, folder, settings, schemas, cancellationToken).ConfigureAwait(false)).AntiPatterns.Count(a => IsIterative(a.RuleId));

    /// <summary>The Code Reviewer's analysis of <paramref name="folder"/> with the lake's schemas and mounts.</summary>
    private static async Task<JobAnalysis> AnalyzeAsync(JobId job, string folder, ModernizeSettings settings, ISchemaProvider schemas, CancellationToken cancellationToken)
    {
        var options = AnalyzerOptions.Default with
        {
            Mounts = new LakeMounts([.. settings.Lake.Mounts.Keys, .. LakeMounts.Default.Prefixes.Except(settings.Lake.Mounts.Keys, StringComparer.Ordinal)]),
            Schemas = schemas,
        };
        return await new JobAnalyzer(options).AnalyzeAsync(new JobSource(job.Value, folder), cancellationToken).ConfigureAwait(false);
    }
}
