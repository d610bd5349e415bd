using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Agents.Judgment;
using Modernizer.Agents.Roles.Definitions;
using Modernizer.Domain;
using Modernizer.Domain.Decisions;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Specs.Data;
using Modernizer.Specs.Requirements;
using Modernizer.Specs.Testing;
using Modernizer.Specs.Testing.Design;

namespace Modernizer.Agents.Stages;

/// <summary>Test Case Designer (R3.1) as a stage: tests/inventory.json from the requirements and the plan's coverage
/// goals (<see cref="TestCaseDesigner"/>). With a model, each business rule may get extra cases it suggests — one
/// value for one input column — which join the inventory like any case: data from the generator, expected rows
/// from the legacy side.</summary>
public sealed class TestDesignStageWork(AgentServices services) : SpecsStageWork(services)
{
    private const int MaxSuggestedCases = 8;

    public override RoleId Role => RoleId.TestCaseDesigner;

    public override async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        var paths = await JobReadsAsync(context, cancellationToken);
        var output = context.Workspace.JobOutput(JobOf(context));
        paths.Add(Path.Combine(output, RequirementsWriter.FileName));
        paths.Add(Path.Combine(output, "spec.json"));
        return await StageInputHash.ComputeAsync(context.Workspace.Root, paths, new { model = ModelIdentity }, cancellationToken);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = JobOf(context);
        var output = context.Workspace.JobOutput(job);
        if (!File.Exists(Path.Combine(output, "spec.json")))
        {
            return Missing(job, "spec.json", Path.Combine(output, "spec.json"));
        }

        var requirements = await RequirementsWriter.ReadAsync(output, cancellationToken);
        var inputs = await LoadAsync(context, cancellationToken);
        var inventory = TestCaseDesigner.Design(inputs, requirements);
        var decisions = ImmutableArray.CreateBuilder<DecisionDraft>();
        if (Services.Runner.ModelAvailable)
        {
            var columns = inputs.ExternalSources.SelectMany(t => inputs.Sites.SelectMany(Specs.Plans.SiteColumns.Of)
                .Where(c => c.IsInput && c.Table == t).Select(c => $"{t}.{c.Column}")).Distinct(StringComparer.OrdinalIgnoreCase).ToImmutableArray();
            foreach (var requirement in requirements.Requirements.Where(r => r.Kind == RequirementKind.BusinessRule && r.Category is not ("assumption" or "python_logic")))
            {
                if (inventory.Cases.Count(c => c.Origin == "model") >= MaxSuggestedCases)
                {
                    break;
                }

                var planned = inventory.TestsOf(requirement.Id);
                var input = new TestDesignInput(requirement.Id, requirement.Statement, requirement.Category == "suspected_defect",
                    [.. requirement.Interpretations.Select(i => i.Statement)], planned, columns);
                var known = requirement.Evidence.Select(e => e.Reference).Append(requirement.Id).ToImmutableHashSet(StringComparer.Ordinal);
                var step = await Services.Step.DecideAsync(Services.Roles.Get<TestCaseDesignerRole>(),
                    new JudgmentRequest<TestDesignInput>(job, input, [], known, []), new EdgeCaseProposal([], 1.0, [requirement.Id]), "test_cases_suggested",
                    p => p.Cases.IsEmpty ? "no extra case" : string.Join("; ", p.Cases.Select(c => $"{c.Table}.{c.Column} = {c.Value}: {c.Description}")), cancellationToken);
                decisions.AddRange(step.Decisions);
                foreach (var suggestion in step.FromModel ? step.Result.Cases : [])
                {
                    // The value is data: it is quoted as a literal and cast to the column's type by the generator.
                    inventory = TestCaseDesigner.AddSuggested(inventory, inputs, suggestion.Description, suggestion.Table, suggestion.Column, SqlText.Literal(suggestion.Value), [requirement.Id]);
                }
            }
        }

        var tests = TestsFolder(context);
        Directory.CreateDirectory(tests);
        var sha = await TestArtifacts.WriteInventoryAsync(tests, inventory, cancellationToken);
        var applicable = inventory.Goals.Count(g => g.NotApplicable is null);
        decisions.Add(Decision(job, "test_cases_designed", 1.0, "R3.1",
            string.Create(CultureInfo.InvariantCulture,
                $"{inventory.Cases.Length} cases ({inventory.Cases.Count(c => c.Tags.Any(t => t.StartsWith("defect:", StringComparison.Ordinal)))} defect-preserving, {inventory.Cases.Count(c => !c.Active)} inactive alternatives, {inventory.Cases.Count(c => c.Origin == "model")} suggested by the model) for {applicable} of {inventory.Goals.Length} coverage goals reachable with data."),
            [new Evidence(EvidenceKind.Decision, $"jobs/{job}/tests/inventory.json")]));
        return StageOutcome.Completed([new ArtifactRef($"jobs/{job}/tests/inventory.json", sha)], decisions.ToImmutable(), []);
    }
}
