using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Code.Defects;
using Modernizer.Code.Frontend;
using Modernizer.Code.Notebooks;
using Modernizer.Code.Python;
using Modernizer.Code.Rules;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;

namespace Modernizer.Code.Analysis;

/// <summary>The Code Reviewer's engine (R2.1): reads a job's Python, notebooks and Spark SQL,
/// walks them into lineage, transformations, anti-patterns (P2), suspected defects (P1),
/// assumptions and PII findings. Many jobs are parsed in one batch (one python3 per core).</summary>
public sealed class JobAnalyzer
{
    private const int ChunkSize = 200;

    private static readonly string[] CodeExtensions = JobDiscovery.CodeExtensions;

    private readonly AnalyzerOptions _options;
    private readonly PythonAstBridge _bridge;

    public JobAnalyzer(AnalyzerOptions? options = null)
    {
        _options = options ?? AnalyzerOptions.Default;
        _bridge = new PythonAstBridge(_options.PythonExecutable, _options.Workers);
    }

    public async Task<JobAnalysis> AnalyzeAsync(JobSource job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return (await AnalyzeManyAsync([job], cancellationToken))[0];
    }

    /// <summary>Analyzes jobs together so the Python parse runs as one batch. One unreadable or
    /// failing file never stops the others: it is reported as a problem of its job with its name
    /// and the reason, and the rest is analysed.</summary>
    public async Task<ImmutableArray<JobAnalysis>> AnalyzeManyAsync(IReadOnlyList<JobSource> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var loaded = new List<LoadedJob>();
        foreach (var job in jobs)
        {
            loaded.Add(await LoadAsync(job, cancellationToken));
        }

        // Jobs are independent: parse the next chunk in python3 while this one is walked on every core.
        var workers = _options.Workers ?? Environment.ProcessorCount;
        var walked = new WalkedJob[loaded.Count];
        var chunks = Enumerable.Range(0, (loaded.Count + ChunkSize - 1) / ChunkSize).Select(c => (Start: c * ChunkSize, End: Math.Min(loaded.Count, (c + 1) * ChunkSize))).ToArray();
        Task<PythonParseResult[][]> Parse((int Start, int End) chunk) => ParseJobsAsync(loaded.Skip(chunk.Start).Take(chunk.End - chunk.Start).ToList(), cancellationToken);
        var next = chunks.Length > 0 ? Parse(chunks[0]) : null;
        for (var c = 0; c < chunks.Length; c++)
        {
            var parsed = await next!;
            next = c + 1 < chunks.Length ? Parse(chunks[c + 1]) : null;
            var (start, end) = chunks[c];
            await DeepStack.ForEachAsync(end - start, workers, i => walked[start + i] = Walk(loaded[start + i], parsed[i]), cancellationToken);
        }

        // X1: what one job shows about a table (it keeps versions) informs the others.
        var versioned = _options.VersionedTables.SetItems(walked.SelectMany(w => VersionedTableDetector.Detect(w.Context.Facts)).DistinctBy(v => v.Key));
        var options = _options with { VersionedTables = versioned };
        var results = new JobAnalysis[walked.Length];
        await DeepStack.ForEachAsync(walked.Length, workers, i => results[i] = AnalyzeSafely(walked[i], options), cancellationToken);
        return [.. results];
    }

    /// <summary>Analyzes one file or every job folder under a directory (a folder holding code
    /// files is one job; a folder of folders is many).</summary>
    public static IReadOnlyList<JobSource> Discover(string path) => JobDiscovery.Discover(path).Jobs;

    private sealed record LoadedNotebook(Notebook Notebook, string RelativePath);

    private sealed record LoadedJob(JobSource Source, ImmutableDictionary<string, string> Parameters, List<LoadedNotebook> Notebooks, List<AnalysisProblem> Problems);

    private static async Task<LoadedJob> LoadAsync(JobSource job, CancellationToken cancellationToken)
    {
        var problems = new List<AnalysisProblem>();
        var notebooks = new List<LoadedNotebook>();
        var isFile = File.Exists(job.Folder);
        var folder = isFile ? Path.GetDirectoryName(job.Folder)! : job.Folder;
        var parameters = await JobYaml.ReadParametersAsync(Path.Combine(folder, "job.yaml"), problems, cancellationToken);
        var files = isFile
            ? [job.Folder]
            : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => CodeExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            try
            {
                var text = await File.ReadAllTextAsync(file, cancellationToken);
                notebooks.Add(new LoadedNotebook(NotebookReader.Read(relative, text), relative));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                problems.Add(new AnalysisProblem(relative, 0, 0, "cannot read: " + error.Message) { Kind = ProblemKinds.Unreadable });
            }
        }

        return new LoadedJob(job, parameters, notebooks, problems);
    }

    /// <summary>Parses every notebook of the jobs. A notebook with a cell CPython rejects is
    /// parsed again without that cell (Databricks runs the other cells too); the cell is reported.</summary>
    private async Task<PythonParseResult[][]> ParseJobsAsync(List<LoadedJob> jobs, CancellationToken cancellationToken)
    {
        var all = jobs.SelectMany(j => j.Notebooks).ToList();
        var views = all.Select(n => n.Notebook.PythonView).ToArray();
        var parsed = (await _bridge.ParseAsync([.. all.Select((n, i) => new PythonSource(n.Notebook.File, views[i]))], cancellationToken)).ToArray();
        var skipped = all.Select(_ => new List<(NotebookCell Cell, PythonSyntaxError Error)>()).ToArray();
        for (var round = 0; round < 64; round++)
        {
            var retry = new List<int>();
            for (var i = 0; i < all.Count; i++)
            {
                var notebook = all[i].Notebook;
                if (parsed[i].Error is { Line: > 0 } error && notebook.Cells.Length > 1 && notebook.CellAt(error.Line) is { } cell)
                {
                    skipped[i].Add((cell, error));
                    views[i] = NotebookReader.BuildPythonView(notebook, skipped[i].Select(s => s.Cell.Index).ToHashSet());
                    retry.Add(i);
                }
            }

            if (retry.Count == 0)
            {
                break;
            }

            var again = await _bridge.ParseAsync([.. retry.Select(i => new PythonSource(all[i].Notebook.File, views[i]))], cancellationToken);
            for (var r = 0; r < retry.Count; r++)
            {
                parsed[retry[r]] = again[r];
            }
        }

        var results = new PythonParseResult[jobs.Count][];
        var offset = 0;
        for (var j = 0; j < jobs.Count; j++)
        {
            var count = jobs[j].Notebooks.Count;
            results[j] = new PythonParseResult[count];
            for (var n = 0; n < count; n++)
            {
                var index = offset + n;
                foreach (var (cell, error) in skipped[index])
                {
                    jobs[j].Problems.Add(new AnalysisProblem(error.File, error.Line, error.Column, $"syntax error in cell {cell.Index + 1} (skipped, the other cells are analysed): {error.Message}") { Kind = ProblemKinds.SyntaxError });
                }

                results[j][n] = parsed[index];
            }

            offset += count;
        }

        return results;
    }

    private sealed record WalkedJob(LoadedJob Job, JobContext Context, Dictionary<string, PyNode> Modules, List<AnalysisProblem> Problems);

    private WalkedJob Walk(LoadedJob job, PythonParseResult[] parsed)
    {
        var context = new JobContext(new FrontendOptions(job.Parameters, _options.Mounts, _options.Schemas, new SparkSqlReader()));
        var problems = new List<AnalysisProblem>(job.Problems);
        foreach (var result in parsed)
        {
            if (result.Module is null)
            {
                var error = result.Error!;
                problems.Add(new AnalysisProblem(error.File, error.Line, error.Column, "syntax error: " + error.Message) { Kind = ProblemKinds.SyntaxError });
                continue;
            }

            context.Modules[result.File] = result.Module;
        }

        // A notebook another one includes with %run runs inside it, in its namespace.
        foreach (var loaded in job.Notebooks)
        {
            foreach (var reference in loaded.Notebook.RunReferences)
            {
                if (context.RunTarget(reference, loaded.Notebook.File) is { } target && target != loaded.Notebook.File)
                {
                    context.Included.Add(target);
                }
            }
        }

        var modules = new Dictionary<string, PyNode>(context.Modules, StringComparer.Ordinal);
        foreach (var (file, module) in modules.Where(m => !context.Included.Contains(m.Key)))
        {
            Isolated(file, problems, () => context.InterpreterFor(file).RunModule(module));
        }

        foreach (var file in context.Interpreters.Keys.ToArray())
        {
            Isolated(file, problems, () => context.InterpreterFor(file).WalkUncalled());
        }

        return new WalkedJob(job, context, modules, problems);
    }

    /// <summary>Runs one file's walk; what fails there becomes a problem naming the file, and the
    /// facts it recorded before failing are kept.</summary>
    private static void Isolated(string file, List<AnalysisProblem> problems, Action walk)
    {
        try
        {
            walk();
        }
        catch (InsufficientExecutionStackException)
        {
            problems.Add(new AnalysisProblem(file, 0, 0, "the code nests too deeply to analyse (an expression or call chain of thousands of levels); the rest of the file is not analysed") { Kind = ProblemKinds.TooDeep });
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            problems.Add(new AnalysisProblem(file, 0, 0, $"analysis failed: {error.GetType().Name}: {error.Message}") { Kind = ProblemKinds.AnalysisError });
        }
    }

    private static JobAnalysis AnalyzeSafely(WalkedJob walked, AnalyzerOptions options)
    {
        try
        {
            return Analyze(walked, options);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var problem = error is InsufficientExecutionStackException
                ? new AnalysisProblem(walked.Job.Notebooks.FirstOrDefault()?.RelativePath ?? walked.Job.Source.JobId, 0, 0, "the job's plans nest too deeply to analyse") { Kind = ProblemKinds.TooDeep }
                : new AnalysisProblem(walked.Job.Notebooks.FirstOrDefault()?.RelativePath ?? walked.Job.Source.JobId, 0, 0, $"analysis failed: {error.GetType().Name}: {error.Message}") { Kind = ProblemKinds.AnalysisError };
            return JobAnalysis.Failed(walked.Job.Source.JobId, [.. walked.Job.Notebooks.Select(n => n.RelativePath)], [.. walked.Problems, problem]);
        }
    }

    private static JobAnalysis Analyze(WalkedJob walked, AnalyzerOptions options)
    {
        var (job, context, modules, problems) = walked;
        var facts = context.Facts;
        foreach (var sql in facts.OfType<SqlFact>().Where(s => s.Summary.Error is not null).DistinctBy(s => (s.File, s.Line)))
        {
            problems.Add(new AnalysisProblem(sql.File, sql.Line, 0, "Spark SQL not fully parsed: " + sql.Summary.Error) { Kind = ProblemKinds.SqlNotParsed });
        }

        var (sources, targets, reads, writes) = LineageBuilder.Tables(facts);
        var columns = LineageBuilder.Columns(facts);
        var ruleContext = new RuleContext(facts, modules);
        var antiPatterns = RuleCatalog.Run(ruleContext);
        var defects = DefectCatalog.Run(new DefectContext(ruleContext, options));
        var understanding = Understanding.Assess(job.Notebooks.Select(n => n.Notebook).ToArray(), modules, facts, context.SparkFiles, problems);
        var assumptions = AssumptionBuilder.Build(facts, job.Parameters, context.WidgetDefaults, understanding);
        var pii = PiiDetector.Detect(facts, columns, options);
        var transformations = TransformationDescriber.Describe(facts);
        var complexity = ComplexityMeter.Measure(modules, facts, job.Notebooks.Select(n => n.Notebook).ToArray(), sources.Length + targets.Length);
        var jobId = new JobId(job.Source.JobId);
        var decisions = Decisions(jobId, assumptions, defects, pii);
        var escalations = Escalations(jobId, pii);
        var plans = FramePlanner.Build(facts, options.Schemas);
        var cells = new CellLocator(job.Notebooks.Select(n => n.Notebook));

        return new JobAnalysis(
            job.Source.JobId,
            [.. job.Notebooks.Select(n => n.RelativePath)],
            sources,
            targets,
            reads,
            writes,
            columns,
            [.. antiPatterns.Select(a => cells.Locate(a.File, a.Line) is { } at ? a with { Cell = at.Cell, CellLine = at.Line } : a)],
            [.. defects.Select(d => cells.Locate(d.File, d.Line) is { } at ? d with { Cell = at.Cell, CellLine = at.Line } : d)],
            [.. assumptions.Select(a => cells.Locate(a.File, a.Line) is { } at ? a with { Cell = at.Cell, CellLine = at.Line } : a)],
            transformations,
            complexity,
            pii,
            PlanPrinter.Print(facts, plans),
            [.. problems.Select(p => cells.Locate(p.File, p.Line) is { } at ? p with { Cell = at.Cell, CellLine = at.Line } : p)],
            decisions,
            escalations)
        {
            Plans = plans,
            NotUnderstood = understanding,
        };
    }

    private static ImmutableArray<DecisionDraft> Decisions(JobId job, ImmutableArray<Assumption> assumptions, ImmutableArray<SuspectedDefect> defects, ImmutableArray<PiiFinding> pii)
    {
        var drafts = ImmutableArray.CreateBuilder<DecisionDraft>();
        foreach (var assumption in assumptions)
        {
            drafts.Add(new DecisionDraft(job, StageId.CodeReview, RoleId.CodeReviewer, "assumption", DecisionOutcome.Autonomous, new Confidence(assumption.Confidence),
                "R2.1 ambiguity recorded as assumption", assumption.Statement + " — " + assumption.Rationale, assumption.Alternatives,
                [new Evidence(EvidenceKind.CodeSpan, $"{assumption.File}:{assumption.Line}")]));
        }

        foreach (var defect in defects)
        {
            drafts.Add(new DecisionDraft(job, StageId.CodeReview, RoleId.CodeReviewer, "suspected_defect", DecisionOutcome.Autonomous, new Confidence(defect.Confidence),
                "P1 suspected defect kept as actual behaviour", $"{defect.Kind}: {defect.Description}. {defect.Reasoning}", ["fix the behaviour in the rewrite (rejected: P1 output fidelity)"],
                [new Evidence(EvidenceKind.CodeSpan, $"{defect.File}:{defect.Line}")]));
        }

        foreach (var finding in pii.Where(p => !p.ReachesCuratedOutput))
        {
            drafts.Add(new DecisionDraft(job, StageId.CodeReview, RoleId.CodeReviewer, "pii_classification", DecisionOutcome.Autonomous, new Confidence(0.8),
                "X3 PII handled without escalation (masked or not curated)", $"{finding.Column} ({finding.Category}) in {finding.TargetTable}: {(finding.Masked ? "masked" : "not a curated output")}", [],
                [new Evidence(EvidenceKind.CodeSpan, finding.Evidence)]));
        }

        return drafts.ToImmutable();
    }

    private static ImmutableArray<EscalationRequest> Escalations(JobId job, ImmutableArray<PiiFinding> pii)
    {
        var exposed = pii.Where(p => p.ReachesCuratedOutput).ToArray();
        if (exposed.Length == 0)
        {
            return [];
        }

        var summary = new StringBuilder("PII reaches a curated output unmasked: ");
        summary.AppendJoin(", ", exposed.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.TargetTable}.{p.Column} ({p.Category})")));
        return [new EscalationRequest(job, StageId.CodeReview, RoleId.CodeReviewer, EscalationKind.PiiExposure, summary.ToString(),
            [.. exposed.Select(p => new Evidence(EvidenceKind.CodeSpan, p.Evidence, $"{p.TargetTable}.{p.Column}"))])];
    }
}
