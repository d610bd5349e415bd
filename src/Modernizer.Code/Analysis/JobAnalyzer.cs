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

    private static readonly string[] CodeExtensions = [".py", ".sql", ".ipynb"];

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

    /// <summary>Analyzes jobs together so the Python parse runs as one batch.</summary>
    public async Task<ImmutableArray<JobAnalysis>> AnalyzeManyAsync(IReadOnlyList<JobSource> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var loaded = new List<LoadedJob>();
        foreach (var job in jobs)
        {
            loaded.Add(await LoadAsync(job, cancellationToken));
        }

        // Jobs are independent: parse the next chunk in python3 while this one is walked on every core.
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = _options.Workers ?? Environment.ProcessorCount };
        var walked = new WalkedJob[loaded.Count];
        var chunks = Enumerable.Range(0, (loaded.Count + ChunkSize - 1) / ChunkSize).Select(c => (Start: c * ChunkSize, End: Math.Min(loaded.Count, (c + 1) * ChunkSize))).ToArray();
        Task<ImmutableArray<PythonParseResult>> Parse((int Start, int End) chunk) =>
            _bridge.ParseAsync([.. loaded.Skip(chunk.Start).Take(chunk.End - chunk.Start).SelectMany(j => j.Notebooks.Select(n => new PythonSource(n.Notebook.File, n.Notebook.PythonView)))], cancellationToken);
        var next = chunks.Length > 0 ? Parse(chunks[0]) : null;
        for (var c = 0; c < chunks.Length; c++)
        {
            var parsed = await next!;
            next = c + 1 < chunks.Length ? Parse(chunks[c + 1]) : null;
            var (start, end) = chunks[c];
            var offsets = new int[end - start];
            for (var i = 1; i < offsets.Length; i++)
            {
                offsets[i] = offsets[i - 1] + loaded[start + i - 1].Notebooks.Count;
            }

            Parallel.For(0, end - start, parallel, i => walked[start + i] = Walk(loaded[start + i], [.. parsed.Skip(offsets[i]).Take(loaded[start + i].Notebooks.Count)]));
        }

        // X1: what one job shows about a table (it keeps versions) informs the others.
        var versioned = _options.VersionedTables.SetItems(walked.SelectMany(w => VersionedTableDetector.Detect(w.Context.Facts)).DistinctBy(v => v.Key));
        var options = _options with { VersionedTables = versioned };
        var results = new JobAnalysis[walked.Length];
        Parallel.For(0, walked.Length, parallel, i => results[i] = Analyze(walked[i], options));
        return [.. results];
    }

    /// <summary>Analyzes one file or every job folder under a directory (a folder holding code
    /// files is one job; a folder of folders is many).</summary>
    public static IReadOnlyList<JobSource> Discover(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return [new JobSource(Path.GetFileNameWithoutExtension(full), full)];
        }

        if (!Directory.Exists(full))
        {
            throw new FileNotFoundException($"No file or directory at '{path}'.", path);
        }

        if (HasCode(full, SearchOption.TopDirectoryOnly) || File.Exists(Path.Combine(full, "job.yaml")))
        {
            return [JobSource.FromFolder(full)];
        }

        var root = Directory.Exists(Path.Combine(full, "jobs")) ? Path.Combine(full, "jobs") : full;
        return [.. Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal).Where(d => HasCode(d, SearchOption.AllDirectories)).Select(JobSource.FromFolder)];
    }

    private static bool HasCode(string folder, SearchOption option) =>
        Directory.EnumerateFiles(folder, "*", option).Any(f => CodeExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase));

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
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                problems.Add(new AnalysisProblem(relative, 0, 0, "cannot read: " + error.Message));
            }
        }

        return new LoadedJob(job, parameters, notebooks, problems);
    }

    private sealed record WalkedJob(LoadedJob Job, JobContext Context, Dictionary<string, PyNode> Modules, List<AnalysisProblem> Problems);

    private WalkedJob Walk(LoadedJob job, PythonParseResult[] parsed)
    {
        var context = new JobContext(new FrontendOptions(job.Parameters, _options.Mounts, _options.Schemas, new SparkSqlReader()));
        var modules = new Dictionary<string, PyNode>(StringComparer.Ordinal);
        var problems = new List<AnalysisProblem>(job.Problems);
        foreach (var result in parsed)
        {
            if (result.Module is null)
            {
                var error = result.Error!;
                problems.Add(new AnalysisProblem(error.File, error.Line, error.Column, "syntax error: " + error.Message));
                continue;
            }

            modules[result.File] = result.Module;
            new Interpreter(context, result.File).Run(result.Module);
        }

        return new WalkedJob(job, context, modules, problems);
    }

    private static JobAnalysis Analyze(WalkedJob walked, AnalyzerOptions options)
    {
        var (job, context, modules, problems) = walked;
        var facts = context.Facts;
        foreach (var sql in facts.OfType<SqlFact>().Where(s => s.Summary.Error is not null))
        {
            problems.Add(new AnalysisProblem(sql.File, sql.Line, 0, "Spark SQL not fully parsed: " + sql.Summary.Error));
        }

        var (sources, targets, reads, writes) = LineageBuilder.Tables(facts);
        var columns = LineageBuilder.Columns(facts);
        var ruleContext = new RuleContext(facts, modules);
        var antiPatterns = RuleCatalog.Run(ruleContext);
        var defects = DefectCatalog.Run(new DefectContext(ruleContext, options));
        var assumptions = AssumptionBuilder.Build(facts, job.Parameters, context.WidgetDefaults);
        var pii = PiiDetector.Detect(facts, columns, options);
        var transformations = TransformationDescriber.Describe(facts);
        var complexity = ComplexityMeter.Measure(modules, facts, job.Notebooks.Select(n => n.Notebook).ToArray(), sources.Length + targets.Length);
        var jobId = new JobId(job.Source.JobId);
        var decisions = Decisions(jobId, assumptions, defects, pii);
        var escalations = Escalations(jobId, pii);
        var plans = FramePlanner.Build(facts, options.Schemas);

        return new JobAnalysis(
            job.Source.JobId,
            [.. job.Notebooks.Select(n => n.RelativePath)],
            sources,
            targets,
            reads,
            writes,
            columns,
            antiPatterns,
            defects,
            assumptions,
            transformations,
            complexity,
            pii,
            PlanPrinter.Print(facts, plans),
            [.. problems],
            decisions,
            escalations)
        { Plans = plans };
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
