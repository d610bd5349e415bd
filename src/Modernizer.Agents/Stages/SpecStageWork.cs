using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Policy;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Specs.Requirements;
using Modernizer.Specs.Spec;
using Modernizer.Specs.Testing.Design;

namespace Modernizer.Agents.Stages;

/// <summary>Spec Writer (R2.3) as a stage: spec.json and spec.md from requirements.json — purpose, rules,
/// contracts, error handling, SLA, edge cases, the suspected-defect and architectural-improvement appendices
/// and the traceability matrix (the designed tests, from the same deterministic designer the next stage runs).
/// Requirements that contradict each other in a way that changes output escalate (X3, <see cref="EscalationPolicy"/>).
/// With a model, the purpose may be phrased by it, citing every requirement it covers.</summary>
public sealed class SpecStageWork(AgentServices services) : SpecsStageWork(services)
{
    public override RoleId Role => RoleId.SpecWriter;

    public override async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        var paths = await JobReadsAsync(context, cancellationToken);
        paths.Add(Path.Combine(context.Workspace.JobOutput(JobOf(context)), RequirementsWriter.FileName));
        var settings = SettingsOf(context);
        return await StageInputHash.ComputeAsync(context.Workspace.Root, paths, new { escalation = settings.Escalation, tags = settings.Tags, model = ModelIdentity }, cancellationToken);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = JobOf(context);
        var output = context.Workspace.JobOutput(job);
        if (!File.Exists(Path.Combine(output, RequirementsWriter.FileName)))
        {
            return Missing(job, "requirements.json", Path.Combine(output, RequirementsWriter.FileName));
        }

        var requirements = await RequirementsWriter.ReadAsync(output, cancellationToken);
        var inputs = await LoadAsync(context, cancellationToken);
        var inventory = TestCaseDesigner.Design(inputs, requirements);
        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();
        var escalations = ImmutableArray.CreateBuilder<EscalationRequest>();
        string? purpose = null;
        if (Services.Runner.ModelAvailable)
        {
            var rules = requirements.Requirements.Where(r => r.Kind == RequirementKind.BusinessRule).Take(12).ToImmutableArray();
            var input = new SpecSectionInput("purpose", [.. rules.Select(r => r.Id)], [.. rules.Select(r => r.Statement)], false);
            var deterministic = new SpecSection(requirements.Purpose + " " + string.Join(" ", rules.Select(r => $"[{r.Id}]")), [.. rules.Select(r => r.Id)], 1.0, [$"jobs/{job}/requirements.json"]);
            var step = await Services.Step.DecideAsync(Services.Roles.Get<SpecWriterRole>(),
                new JudgmentRequest<SpecSectionInput>(job, input, [], [$"jobs/{job}/requirements.json", .. rules.Select(r => r.Id)], []), deterministic, "spec_section", s => s.Text, cancellationToken);
            decisions.AddRange(step.Decisions);
            purpose = step.FromModel ? step.Result.Text : null;
        }

        var spec = SpecBuilder.Build(requirements, inputs.Analysis, inventory, purpose);
        var policy = new EscalationPolicy(SettingsOf(context));
        foreach (var contradiction in spec.Contradictions.Where(c => c.ChangesOutput))
        {
            var verdict = policy.Evaluate(new RequirementFact(job, string.Join("+", contradiction.Requirements), null, Confidence.Certain, true));
            var evidence = BoardConsultationPort.ToDomain(contradiction.Evidence);
            if (verdict.Escalate)
            {
                escalations.Add(new EscalationRequest(job, Stage, Role, verdict.Kind!.Value, $"{contradiction.Id}: {contradiction.Reason}", evidence));
            }

            decisions.Add(Decision(job, "contradictory_requirements", 1.0, verdict.Rule, $"{contradiction.Id} ({string.Join(", ", contradiction.Requirements)}): {contradiction.Reason}", evidence,
                verdict.Escalate ? DecisionOutcome.Escalated : DecisionOutcome.Autonomous, contradiction.Requirements.Select(r => $"keep only {r}")));
        }

        var untested = spec.Traceability.Count(t => t.Tests.IsEmpty);
        decisions.Add(Decision(job, "spec_written", 1.0, "R2.3",
            string.Create(CultureInfo.InvariantCulture,
                $"{spec.Requirements.Length} requirements, {spec.SuspectedDefects.Length} suspected defects (each with a defect-preserving test: {spec.SuspectedDefects.All(d => !d.Tests.IsEmpty)}), {spec.ArchitecturalImprovements.Length} architectural improvements; {spec.Traceability.Length - untested} requirements traced to tests."),
            [new Evidence(EvidenceKind.Decision, $"jobs/{job}/spec.json")]));
        var (json, markdown) = await SpecWriter.WriteAsync(output, spec, cancellationToken);
        return StageOutcome.Completed(
            [new ArtifactRef($"jobs/{job}/spec.json", json), new ArtifactRef($"jobs/{job}/spec.md", markdown)],
            decisions.ToImmutable(), Distinct(escalations));
    }
}
