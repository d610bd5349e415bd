using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Agents.Consultation;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Agents.Safety;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Policy;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Specs.Jobs;
using Modernizer.Specs.Requirements;

namespace Modernizer.Agents.Stages;

/// <summary>Requirements Inferencer (R2.3) as a stage: <see cref="RequirementsInferencer"/> over the job's plan,
/// profile, lake and catalog, its below-80% requirements resolved by consulting the Code Reviewer and the Data
/// Profiler through the consultation board (X1) and by one query per interpretation against the legacy output;
/// requirements.json written atomically. Regulatory logic below the floor escalates (X3, through
/// <see cref="EscalationPolicy"/>). With a model, each business rule's statement may be phrased by the model;
/// its evidence and confidence stay the engine's.</summary>
public sealed class RequirementsStageWork(AgentServices services) : SpecsStageWork(services)
{
    private static readonly string[] PhrasedCategories = ["filter", "join", "aggregate", "case", "derived_column", "lookup", "window", "range_rule"];

    public override RoleId Role => RoleId.RequirementsInferencer;

    public override async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        var settings = SettingsOf(context);
        return await StageInputHash.ComputeAsync(context.Workspace.Root, await JobReadsAsync(context, cancellationToken),
            new { escalation = settings.Escalation, tags = settings.Tags, lake = settings.Lake, model = ModelIdentity }, cancellationToken);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = JobOf(context);
        if (!Directory.Exists(context.Workspace.JobCode(job)))
        {
            return new StageOutcome(StageStatus.NoCode, [], [], [], $"No code for job {job}.");
        }

        var analysis = Path.Combine(context.Workspace.JobOutput(job), "analysis.json");
        if (!File.Exists(analysis))
        {
            return Missing(job, "the code analysis", analysis);
        }

        var settings = SettingsOf(context);
        var inputs = await LoadAsync(context, cancellationToken);
        var board = new ConsultationBoard([new ProfileConsultant(context.Workspace), new AnalysisConsultant(context.Workspace)],
            Services.Gateway.Options.Limits.MaxConsultationRounds, Services.Telemetry);
        var requirements = await new RequirementsInferencer(settings.Escalation.ConsultationConfidenceFloor)
            .InferAsync(inputs, new BoardConsultationPort(board, job, Stage, Role), cancellationToken);
        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();
        var escalations = ImmutableArray.CreateBuilder<EscalationRequest>();
        if (Services.Runner.ModelAvailable)
        {
            requirements = await PhraseAsync(inputs, requirements, decisions, escalations, cancellationToken);
        }

        decisions.AddRange(board.DrainDecisions());
        foreach (var requirement in requirements.Requirements.Where(r => !r.Interpretations.IsEmpty))
        {
            var chosen = requirement.Interpretations.First(i => i.Chosen);
            decisions.Add(Decision(job, "requirement_interpretation", requirement.Confidence, "R2.3 below the consultation floor: one query per interpretation against the legacy output",
                string.Create(CultureInfo.InvariantCulture, $"{requirement.Id}: kept \"{chosen.Statement}\" ({chosen.Reading}); confidence {requirement.InitialConfidence:0.00} -> {requirement.Confidence:0.00}."),
                BoardConsultationPort.ToDomain(requirement.Evidence),
                alternatives: requirement.Interpretations.Where(i => !i.Chosen).Select(i => $"{i.Statement} ({(i.Supported switch { true => "supported", false => "contradicted", _ => "undecided" })} by the data)")));
        }

        var policy = new EscalationPolicy(settings);
        foreach (var requirement in requirements.Requirements)
        {
            var verdict = policy.Evaluate(new RequirementFact(job, requirement.Id, requirement.Regulation, new Confidence(requirement.Confidence), false));
            if (!verdict.Escalate)
            {
                continue;
            }

            var summary = $"{verdict.Rationale} {requirement.Statement}";
            var evidence = BoardConsultationPort.ToDomain(requirement.Evidence);
            escalations.Add(new EscalationRequest(job, Stage, Role, verdict.Kind!.Value, summary, evidence));
            decisions.Add(Decision(job, "regulatory_requirement", requirement.Confidence, verdict.Rule, summary, evidence, DecisionOutcome.Escalated,
                requirement.Interpretations.Where(i => !i.Chosen).Select(i => i.Statement)));
        }

        decisions.Add(Decision(job, "requirements_inferred", 1.0, "R2.3",
            string.Create(CultureInfo.InvariantCulture,
                $"{requirements.Requirements.Length} requirements ({requirements.Requirements.Count(r => r.Status == RequirementStatus.Verified)} verified by data), {requirements.Sites.Length} plan sites, {requirements.Contradictions.Length} contradictions."),
            [new Evidence(EvidenceKind.Decision, $"jobs/{job}/requirements.json")]));
        var path = Path.Combine(context.Workspace.JobOutput(job), RequirementsWriter.FileName);
        var sha = await RequirementsWriter.WriteAsync(context.Workspace.JobOutput(job), requirements, cancellationToken);
        return StageOutcome.Completed([new ArtifactRef(Path.GetRelativePath(context.Workspace.Output, path).Replace('\\', '/'), sha)], decisions.ToImmutable(), Distinct(escalations));
    }

    /// <summary>Model path: the model names and states each business rule; the engine's evidence, confidence and
    /// regulation stay. A statement whose answer failed the checks keeps the engine's wording.</summary>
    private async Task<RequirementSet> PhraseAsync(JobInputs inputs, RequirementSet requirements, ImmutableArray<DecisionDraft>.Builder decisions, ImmutableArray<EscalationRequest>.Builder escalations, CancellationToken cancellationToken)
    {
        var role = Services.Roles.Get<RequirementsInferencerRole>();
        var phrased = requirements.Requirements.ToBuilder();
        for (var i = 0; i < phrased.Count; i++)
        {
            var requirement = phrased[i];
            if (!PhrasedCategories.Contains(requirement.Category))
            {
                continue;
            }

            var span = requirement.Evidence.FirstOrDefault(e => e.Kind == EvidenceSource.Code)?.Reference ?? inputs.Job.Value;
            var input = new RuleNamingInput(requirement.Id, span, requirement.Statement, requirement.Columns);
            var known = requirement.Evidence.Select(e => e.Reference).Append(span).ToImmutableHashSet(StringComparer.Ordinal);
            var code = CodeAround(inputs, span);
            var deterministic = new BusinessRule(requirement.Category, requirement.Statement, requirement.Regulation is not null, requirement.Regulation, requirement.Confidence, [span]);
            var step = await Services.Step.DecideAsync(role, new JudgmentRequest<RuleNamingInput>(inputs.Job, input, code, known, []), deterministic, "requirement_phrasing", r => r.Statement, cancellationToken);
            decisions.AddRange(step.Decisions);
            escalations.AddRange(step.Escalations);
            if (step.FromModel)
            {
                phrased[i] = requirement with { Statement = $"{step.Result.Name}: {step.Result.Statement}" };
            }
        }

        return requirements with { Requirements = phrased.ToImmutable() };
    }

    private static ImmutableArray<DataItem> CodeAround(JobInputs inputs, string span)
    {
        var cut = span.LastIndexOf(':');
        if (cut < 0 || !int.TryParse(span[(cut + 1)..].Split('-')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var line)
            || !inputs.CodeLines.TryGetValue(span[..cut], out var lines))
        {
            return [];
        }

        var from = Math.Max(0, line - 4);
        var to = Math.Min(lines.Length, line + 3);
        return [new DataItem(DataKind.LegacyCode, $"{span[..cut]}:{from + 1}-{to}", string.Join('\n', lines[from..to]))];
    }
}
