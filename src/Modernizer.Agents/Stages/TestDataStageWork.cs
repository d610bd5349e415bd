using System.Globalization;
using Modernizer.Domain;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Specs.Testing;
using Modernizer.Specs.Testing.Data;

namespace Modernizer.Agents.Stages;

/// <summary>Test Data Generator (R3.2) as a stage: tests/fixtures/ from the inventory — a stratified, bounded
/// sample of the lake that keeps the inputs' relations, and per case the values that solve its goal.</summary>
public sealed class TestDataStageWork(AgentServices services) : SpecsStageWork(services)
{
    public override RoleId Role => RoleId.TestDataGenerator;

    public override async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        var paths = await JobReadsAsync(context, cancellationToken);
        paths.Add(Path.Combine(TestsFolder(context), TestArtifacts.Inventory));
        return await StageInputHash.ComputeAsync(context.Workspace.Root, paths, new { sample = SampleOptions.Default }, cancellationToken);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = JobOf(context);
        var tests = TestsFolder(context);
        if (!File.Exists(Path.Combine(tests, TestArtifacts.Inventory)))
        {
            return Missing(job, "the test inventory", Path.Combine(tests, TestArtifacts.Inventory));
        }

        var inventory = await TestArtifacts.ReadInventoryAsync(tests, cancellationToken);
        var inputs = await LoadAsync(context, cancellationToken);
        var fixtures = await new TestDataGenerator().GenerateAsync(inputs, inventory, Path.Combine(tests, TestArtifacts.Fixtures), cancellationToken);
        var goals = fixtures.Cases.SelectMany(c => c.Goals).ToList();
        var sample = fixtures.Cases.FirstOrDefault() is { } first ? string.Join(", ", first.Rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key}: {r.Value}"))) : "no table";
        var reached = goals.Count(g => g.Reached == true);
        var missed = goals.Count(g => g.Reached == false);
        var decision = Decision(job, "test_data_generated", 1.0, "R3.2",
            string.Create(CultureInfo.InvariantCulture, $"{fixtures.Cases.Length} fixtures from a stratified lake sample ({sample} rows); {reached} goals reached on the case inputs, {missed} not.")
                + (fixtures.Notes.IsEmpty ? string.Empty : " " + string.Join("; ", fixtures.Notes)),
            [new Evidence(EvidenceKind.Decision, $"jobs/{job}/tests/fixtures/fixtures.json")]);
        return StageOutcome.Completed([await ArtifactAsync(context, Path.Combine(tests, TestArtifacts.Fixtures), cancellationToken)], [decision], []);
    }
}
