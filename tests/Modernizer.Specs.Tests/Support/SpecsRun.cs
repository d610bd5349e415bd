using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;
using Modernizer.Samples.Legacy;
using Modernizer.Specs.Jobs;
using Modernizer.Specs.Requirements;
using Modernizer.Specs.Testing.Data;
using Modernizer.Specs.Testing.Design;
using Modernizer.Specs.Testing.Harness;

namespace Modernizer.Specs.Tests.Support;

/// <summary>The tier 2-3 engines in pipeline order for one job, as the stages run them.</summary>
public sealed record SpecsRun(JobInputs Inputs, RequirementSet Requirements, TestInventory Inventory, FixtureSet? Fixtures, HarnessResult? Harness)
{
    public static async Task<SpecsRun> RunAsync(WorkspacePaths workspace, JobId job, ModernizeSettings settings, bool tests, bool legacyRunner = true)
    {
        var inputs = await JobInputsLoader.LoadAsync(workspace, settings, job, CancellationToken.None);
        var requirements = await new RequirementsInferencer().InferAsync(inputs, null, CancellationToken.None);
        var inventory = TestCaseDesigner.Design(inputs, requirements);
        if (!tests)
        {
            return new SpecsRun(inputs, requirements, inventory, null, null);
        }

        var folder = Path.Combine(workspace.JobOutput(job), "tests");
        var fixtures = await new TestDataGenerator().GenerateAsync(inputs, inventory, Path.Combine(folder, "fixtures"), CancellationToken.None);
        var harness = await new TestHarnessBuilder().BuildAsync(inputs, inventory, fixtures, legacyRunner ? LegacyRunner.ForWorkspace(workspace.Root) : null, folder, CancellationToken.None);
        return new SpecsRun(inputs, requirements, inventory, fixtures, harness);
    }
}
