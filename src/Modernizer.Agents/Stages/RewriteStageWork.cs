using System.Collections.Immutable;
using System.Globalization;
using System.Security.Cryptography;
using Modernizer.Agents.Rewriting;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Stages;

/// <summary>Code Writer (R4.1, X4) as a stage: <see cref="JobRewriteRunner"/> lifts the job, writes the
/// rewrite (<c>.modernize/jobs/&lt;job&gt;/rewrite/</c>), runs it beside the legacy output and reconciles
/// it exactly. Every attempt is a decision; a job with no exact rewrite is escalated with the reason
/// and the code span (without a model nothing else may try, X1), never delivered with its loops.</summary>
public sealed class RewriteStageWork(AgentServices services, TimeProvider? clock = null) : RoleStageWork(services)
{
    public override RoleId Role => RoleId.CodeWriter;

    public override async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = context.Job ?? throw new ArgumentException("The rewrite stage runs per job.", nameof(context));
        var settings = SettingsOf(context);
        var tables = await JobTables.ReadAsync(context.Workspace, job, cancellationToken).ConfigureAwait(false);
        // rewrite-feedback/ holds what later stages sent back (static analysis findings, failing tests).
        var paths = new List<string> { context.Workspace.JobCode(job), JobTables.AnalysisPath(context.Workspace, job), Path.Combine(context.Workspace.JobOutput(job), "rewrite-feedback") };
        if (tables is not null)
        {
            paths.AddRange(tables.Sources.Concat(tables.Targets).Select(t => LakeLocator.Find(context.Workspace, settings.Lake, t)).OfType<string>());
        }

        return await StageInputHash.ComputeAsync(context.Workspace.Root, paths,
            new { rewrite = settings.Rewrite, lake = settings.Lake, model = ModelIdentity, attempt = context.Attempt }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = context.Job ?? throw new ArgumentException("The rewrite stage runs per job.", nameof(context));
        if (!Directory.Exists(context.Workspace.JobCode(job)))
        {
            return new StageOutcome(StageStatus.NoCode, [], [], [], $"No code for job {job}.");
        }

        var result = await new JobRewriteRunner(clock, ModelFor(Services)).RunAsync(context.Workspace, job, SettingsOf(context), cancellationToken).ConfigureAwait(false);
        var layout = RewriteLayout.For(context.Workspace, job);
        var artifacts = await ArtifactsAsync(job, layout, cancellationToken).ConfigureAwait(false);
        var decisions = Decisions(job, result);
        return result.Status switch
        {
            RewriteStatus.Validated => StageOutcome.Completed(artifacts, decisions, []),
            RewriteStatus.Escalated => new StageOutcome(StageStatus.Escalated, artifacts, decisions, [Escalation(job, result)], result.Message),
            _ => new StageOutcome(StageStatus.Failed, artifacts, decisions, [], result.Message),
        };
    }

    /// <summary>The Code Writer's model path (X1) when a model is configured; without one a refused job escalates.</summary>
    public static IRewriteModel? ModelFor(AgentServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.Gateway.IsEnabled ? new CodeWriterModel(services.Runner, services.Roles.Get<CodeWriterRole>()) : null;
    }

    private static ImmutableArray<DecisionDraft> Decisions(JobId job, RewriteResult result)
    {
        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();
        foreach (var attempt in result.Attempts)
        {
            var interpretation = attempt.Choices.IsEmpty ? "every assumption as stated" : string.Join(", ", attempt.Choices.Select(c => $"{c.Key}={c.Value}"));
            var by = attempt.Source == "model" ? "the model's proposal" : interpretation;
            decisions.Add(new DecisionDraft(job, StageId.Rewrite, RoleId.CodeWriter, "rewrite_attempt",
                attempt.Outcome == "exact" ? DecisionOutcome.Autonomous : DecisionOutcome.Escalated,
                new Confidence(attempt.Outcome == "exact" ? 1.0 : attempt.MatchRate ?? 0.0),
                "X4 a rewrite is delivered only when its parallel run reconciles exactly with the legacy output",
                string.Create(CultureInfo.InvariantCulture, $"attempt {attempt.Number} ({by}): {attempt.Outcome}; {attempt.Detail}"),
                [.. (result.Program?.Assumptions ?? []).Where(a => a.Alternative is not null).Select(a => $"{a.Id}: {a.Alternative}")],
                [new Evidence(EvidenceKind.OutputData, $"jobs/{WorkspacePaths.JobFolder(job)}/rewrite/rewrite.json", attempt.Outcome)])
            {
                Tokens = attempt.Tokens,
                CostUsd = attempt.CostUsd,
                InstructionsHash = attempt.InstructionsHash,
            });
        }

        foreach (var assumption in result.Program?.Assumptions ?? [])
        {
            decisions.Add(new DecisionDraft(job, StageId.Rewrite, RoleId.CodeWriter, "rewrite_assumption", DecisionOutcome.Autonomous, new Confidence(assumption.Confidence),
                "R4.1 where the legacy code leaves a meaning open, the rewrite states its reading; below 80% the alternative is switchable",
                assumption.Statement, assumption.Alternative is null ? [] : [assumption.Alternative],
                [new Evidence(EvidenceKind.CodeSpan, string.Create(CultureInfo.InvariantCulture, $"jobs/{WorkspacePaths.JobFolder(job)}/{assumption.File}:{assumption.Line}"))]));
        }

        decisions.Add(new DecisionDraft(job, StageId.Rewrite, RoleId.CodeWriter, "rewrite_result",
            result.Status == RewriteStatus.Validated ? DecisionOutcome.Autonomous : DecisionOutcome.Escalated, new Confidence(result.Status == RewriteStatus.Validated ? 1.0 : 0.0),
            "R4.1, P2 set-based, zero iterative findings, reconciled exactly",
            string.Create(CultureInfo.InvariantCulture, $"{result.Status.ToString().ToLowerInvariant()}: {result.Message} (iterative findings {result.LoopsBefore} → {result.LoopsAfter})"),
            [], [.. result.Refusals.Select(r => new Evidence(EvidenceKind.CodeSpan, string.Create(CultureInfo.InvariantCulture, $"jobs/{WorkspacePaths.JobFolder(job)}/{r.File}:{r.Line}"), r.Reason))]));
        return decisions.ToImmutable();
    }

    private static EscalationRequest Escalation(JobId job, RewriteResult result)
    {
        ImmutableArray<Evidence> evidence =
        [
            .. result.Refusals.Select(r => new Evidence(EvidenceKind.CodeSpan, string.Create(CultureInfo.InvariantCulture, $"jobs/{WorkspacePaths.JobFolder(job)}/{r.File}:{r.Line}"), r.Reason)),
            new Evidence(EvidenceKind.OutputData, $"jobs/{WorkspacePaths.JobFolder(job)}/rewrite/rewrite.md", "the attempts and the reconciliation"),
        ];
        return new EscalationRequest(job, StageId.Rewrite, RoleId.CodeWriter, EscalationKind.NoExactRewrite, result.Message, evidence);
    }

    private static async Task<ImmutableArray<ArtifactRef>> ArtifactsAsync(JobId job, RewriteLayout layout, CancellationToken cancellationToken)
    {
        var files = Directory.Exists(layout.Folder)
            ? Directory.GetFiles(layout.Folder).Where(f => f.EndsWith(".sql", StringComparison.Ordinal) || f == layout.Manifest || f == layout.Review).Order(StringComparer.Ordinal).ToArray()
            : [];
        var artifacts = ImmutableArray.CreateBuilder<ArtifactRef>();
        foreach (var file in files)
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false)));
            artifacts.Add(new ArtifactRef($"jobs/{WorkspacePaths.JobFolder(job)}/rewrite/{Path.GetFileName(file)}", sha));
        }

        return artifacts.ToImmutable();
    }
}
