using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using Modernizer.Agents.Consultation;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Agents.Safety;
using Modernizer.Code.Analysis;
using Modernizer.Code.Frontend;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Stages;

/// <summary>Code Reviewer (R2.1) as a stage: the code plane's <see cref="JobAnalyzer"/> over the job's
/// folder (PySpark, Spark SQL, notebooks), analysis.json/.md and lineage.json written atomically by
/// <see cref="AnalysisWriter"/>; the analyzer's assumptions, suspected defects and PII escalation are the
/// stage's decisions. With a model, each assumption with alternatives is judged again — the code around
/// it enveloped as data, the Data Profiler reachable through the consultation board — and an accepted
/// choice is logged as an assumption resolution with its spend.</summary>
public sealed class CodeReviewStageWork(AgentServices services, TimeProvider? clock = null) : RoleStageWork(services)
{
    private const int ContextLines = 3;

    public override RoleId Role => RoleId.CodeReviewer;

    public override Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job ?? throw new ArgumentException("The code review stage runs per job.", nameof(context));
        var settings = SettingsOf(context);
        return StageInputHash.ComputeAsync(context.Workspace.Root, [context.Workspace.JobCode(job)],
            new { mounts = settings.Lake.Mounts, model = ModelIdentity }, cancellationToken);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = context.Job ?? throw new ArgumentException("The code review stage runs per job.", nameof(context));
        var folder = context.Workspace.JobCode(job);
        if (!Directory.Exists(folder))
        {
            return new StageOutcome(StageStatus.NoCode, [], [], [], $"No code for job {job} in {folder}.");
        }

        var settings = SettingsOf(context);
        var options = AnalyzerOptions.Default with
        {
            Mounts = new LakeMounts([.. settings.Lake.Mounts.Keys, .. LakeMounts.Default.Prefixes.Except(settings.Lake.Mounts.Keys, StringComparer.Ordinal)]),
            Schemas = await LakeSchemaProvider.LoadAsync(context.Workspace.Lake, cancellationToken).ConfigureAwait(false),
        };
        var analysis = await new JobAnalyzer(options).AnalyzeAsync(new JobSource(job.Value, folder), cancellationToken).ConfigureAwait(false);
        var output = context.Workspace.JobOutput(job);
        if (Unreadable(analysis) is { Length: > 0 } unreadable)
        {
            return CannotRead(job, output, unreadable);
        }

        Directory.CreateDirectory(output);
        await AnalysisWriter.WriteAsync(analysis, output, (clock ?? TimeProvider.System).GetUtcNow(), cancellationToken).ConfigureAwait(false);

        var decisions = analysis.Decisions.ToBuilder();
        var escalations = analysis.Escalations.ToBuilder();
        if (Services.Runner.ModelAvailable)
        {
            var board = new ConsultationBoard([new ProfileConsultant(context.Workspace), new AnalysisConsultant(context.Workspace)],
                Services.Gateway.Options.Limits.MaxConsultationRounds, Services.Telemetry);
            foreach (var assumption in analysis.Assumptions.Where(a => !a.Alternatives.IsDefaultOrEmpty))
            {
                var step = await ResolveAsync(context, job, analysis, assumption, board, cancellationToken).ConfigureAwait(false);
                decisions.AddRange(step.Decisions);
                escalations.AddRange(step.Escalations);
            }

            decisions.AddRange(board.DrainDecisions());
        }

        ImmutableArray<ArtifactRef> artifacts =
        [
            .. await Task.WhenAll(new[] { "analysis.json", "analysis.md", "lineage.json" }.Select(async name =>
                new ArtifactRef($"jobs/{WorkspacePaths.JobFolder(job)}/{name}", Convert.ToHexStringLower(SHA256.HashData(
                    await File.ReadAllBytesAsync(Path.Combine(output, name), cancellationToken).ConfigureAwait(false)))))).ConfigureAwait(false),
        ];
        return StageOutcome.Completed(artifacts, decisions.ToImmutable(), Distinct(escalations));
    }

    /// <summary>Code the analyzer could not read at all: a syntax error (Python 2, a truncated file), a
    /// binary file, an unreadable file. An analysis without it would look complete and be empty.</summary>
    private static AnalysisProblem[] Unreadable(JobAnalysis analysis) =>
        [.. analysis.Problems.Where(p => p.Message.StartsWith("syntax error:", StringComparison.Ordinal) || p.Message.StartsWith("cannot read:", StringComparison.Ordinal))];

    /// <summary>The stage fails, naming each file and position; the artifacts of an earlier analysis are
    /// removed, since they describe code that is no longer there.</summary>
    private static StageOutcome CannotRead(JobId job, string output, AnalysisProblem[] unreadable)
    {
        foreach (var stale in new[] { "analysis.json", "analysis.md", "lineage.json" }.Select(n => Path.Combine(output, n)).Where(File.Exists))
        {
            File.Delete(stale);
        }

        var folder = WorkspacePaths.JobFolder(job);
        var places = unreadable.Select(p => string.Create(CultureInfo.InvariantCulture, $"jobs/{folder}/{p.File}:{Math.Max(1, p.Line)}:{Math.Max(1, p.Column)}: {p.Message}")).ToArray();
        var message = $"the job's code cannot be read, so it is not analysed: {string.Join("; ", places.Take(5))}"
            + (places.Length > 5 ? string.Create(CultureInfo.InvariantCulture, $"; and {places.Length - 5} more") : string.Empty);
        var decision = new DecisionDraft(job, StageId.CodeReview, RoleId.CodeReviewer, "code_unreadable", DecisionOutcome.Autonomous, new Confidence(1.0),
            "R2.1 code that cannot be read is not analysed", message, ["analyse the readable files only (rejected: an incomplete analysis would look complete)"],
            [.. unreadable.Select(p => new Evidence(EvidenceKind.CodeSpan, string.Create(CultureInfo.InvariantCulture, $"{p.File}:{Math.Max(1, p.Line)}")))]);
        return new StageOutcome(StageStatus.Failed, [], [decision], [], message);
    }

    private async Task<StepResult<AmbiguityResolution>> ResolveAsync(
        StageContext context, JobId job, JobAnalysis analysis, Assumption assumption, ConsultationBoard board, CancellationToken cancellationToken)
    {
        var role = Services.Roles.Get<CodeReviewerRole>();
        var span = $"{assumption.File}:{assumption.Line}";
        var pii = analysis.Pii.Where(p => string.Equals(p.Evidence, span, StringComparison.Ordinal)).ToArray();
        var input = new AmbiguityInput(assumption.Id, span, assumption.Statement, [assumption.Statement, .. assumption.Alternatives],
            pii.Length > 0, pii.Any(p => p.ReachesCuratedOutput));
        var known = ImmutableHashSet.CreateRange(StringComparer.Ordinal,
            [span, .. analysis.Files.Select(f => f), .. analysis.SuspectedDefects.Select(d => $"{d.File}:{d.Line}"), .. analysis.AntiPatterns.Select(a => $"{a.File}:{a.Line}")]);
        var data = await CodeAroundAsync(context, job, assumption, cancellationToken).ConfigureAwait(false);
        var request = new JudgmentRequest<AmbiguityInput>(job, input, data, known, board.ToolsFor(Role, job, Stage, assumption.Id));
        var deterministic = new AmbiguityResolution(assumption.Statement, assumption.Rationale, assumption.Confidence, [span]);
        return await Services.Step.DecideAsync(role, request, deterministic, "assumption_resolution", r => r.ChosenInterpretation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The legacy lines around the assumption, as enveloped data (never as instructions).</summary>
    private static async Task<ImmutableArray<DataItem>> CodeAroundAsync(StageContext context, JobId job, Assumption assumption, CancellationToken cancellationToken)
    {
        // Analyzer spans are relative to the job's folder.
        var folder = Path.GetFullPath(context.Workspace.JobCode(job));
        var path = Path.GetFullPath(Path.Combine(folder, assumption.File));
        if (!path.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
        {
            return [];
        }

        var lines = await File.ReadAllLinesAsync(path, cancellationToken).ConfigureAwait(false);
        var from = Math.Max(0, assumption.Line - 1 - ContextLines);
        var to = Math.Min(lines.Length, assumption.Line + ContextLines);
        return [new DataItem(DataKind.LegacyCode, $"{assumption.File}:{from + 1}-{to}", string.Join('\n', lines[from..to]))];
    }
}
