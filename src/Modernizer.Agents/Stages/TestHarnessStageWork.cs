using System.Globalization;
using Modernizer.Domain;
using Modernizer.Domain.Roles;
using Modernizer.Domain.Stages;
using Modernizer.Samples.Legacy;
using Modernizer.Specs.Testing;
using Modernizer.Specs.Testing.Harness;

namespace Modernizer.Agents.Stages;

/// <summary>Test Harness Builder (R3.3) as a stage: tests/cases/*.yaml with expected rows from the legacy side —
/// the workspace's legacy runner (<c>legacy/run.py</c>) on each case's inputs; without one, cases are expected
/// unknown and coverage.json says so.</summary>
public sealed class TestHarnessStageWork(AgentServices services) : SpecsStageWork(services)
{
    public override RoleId Role => RoleId.TestHarnessBuilder;

    public override async Task<string> ComputeInputHashAsync(StageContext context, CancellationToken cancellationToken)
    {
        var paths = await JobReadsAsync(context, cancellationToken);
        var tests = TestsFolder(context);
        paths.Add(Path.Combine(tests, TestArtifacts.Inventory));
        paths.Add(Path.Combine(tests, TestArtifacts.Fixtures));
        paths.Add(context.Workspace.Legacy);
        return await StageInputHash.ComputeAsync(context.Workspace.Root, paths, new { harness = 1 }, cancellationToken);
    }

    protected override async Task<StageOutcome> RunRoleAsync(StageContext context, CancellationToken cancellationToken)
    {
        var job = JobOf(context);
        var tests = TestsFolder(context);
        if (!File.Exists(Path.Combine(tests, TestArtifacts.Fixtures, Specs.Testing.Data.FixtureSet.FileName)))
        {
            return Missing(job, "the test fixtures", Path.Combine(tests, TestArtifacts.Fixtures));
        }

        var inventory = await TestArtifacts.ReadInventoryAsync(tests, cancellationToken);
        var fixtures = await TestArtifacts.ReadFixturesAsync(tests, cancellationToken);
        var inputs = await LoadAsync(context, cancellationToken);
        var runner = File.Exists(Path.Combine(context.Workspace.Legacy, "run.py")) ? LegacyRunner.ForWorkspace(context.Workspace.Root) : null;
        var result = await new TestHarnessBuilder().BuildAsync(inputs, inventory, fixtures, runner, tests, cancellationToken);
        var coverage = result.Coverage;
        var decision = Decision(job, "golden_tests_built", 1.0, "R3.3",
            string.Create(CultureInfo.InvariantCulture,
                $"{coverage.Cases} cases: expected rows from {(runner is null ? "no legacy runner" : "the legacy runner")} for {coverage.ExpectedKnown}, expected unknown for {coverage.ExpectedUnknown}, the legacy program fails on {coverage.LegacyErrors}; coverage {coverage.Reached} of {coverage.Applicable} reachable goals."),
            [new Evidence(EvidenceKind.Decision, $"jobs/{job}/tests/coverage.json")]);
        return StageOutcome.Completed(
            [await ArtifactAsync(context, Path.Combine(tests, TestArtifacts.Cases), cancellationToken), await ArtifactAsync(context, Path.Combine(tests, CoverageReport.FileName), cancellationToken)],
            [decision], []);
    }
}
