using Modernizer.Domain.Stages;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio.Stages;

namespace Modernizer.Portfolio.Tests;

/// <summary>The tier-1 stages as the supervisor runs them: separate engines, artifacts in between.</summary>
public sealed class StageTests
{
    private static readonly QueryEngineFactory Engines = async (_, ct) => await DuckDbEngine.OpenAsync(ct);

    [Fact]
    public async Task Stages_run_one_after_another_through_their_artifacts_and_match_the_one_engine_run()
    {
        using var ws = MiniWorld.Create();
        var context = new StageContext(ws.Paths, null, PortfolioOptions.Default, 1);
        var outcomes = new List<StageOutcome>();
        foreach (var stage in Tier1Stage.All(Engines))
        {
            outcomes.Add(await stage.RunAsync(context, CancellationToken.None));
        }

        Assert.All(outcomes, o => Assert.Equal(StageStatus.Escalated, o.Status));
        Assert.Equal(["portfolio/inventory.json", "portfolio/inventory.csv"], outcomes[0].Artifacts.Select(a => a.Path).ToArray());
        var escalations = outcomes.SelectMany(o => o.Escalations).Select(e => (e.Kind, e.JobId?.Value)).Order().ToArray();

        using var again = MiniWorld.Create();
        await using var engine = await DuckDbEngine.OpenAsync(CancellationToken.None);
        var direct = await Tier1.RunAsync(again.Paths, engine, PortfolioOptions.Default, CancellationToken.None);
        Assert.Equal(direct.Escalations.Select(e => (e.Kind, e.JobId?.Value)).Order().ToArray(), escalations);
        Assert.Equal(File.ReadAllText(again.Paths.BacklogJson), File.ReadAllText(ws.Paths.BacklogJson));
    }

    [Fact]
    public async Task The_input_hash_changes_when_an_export_changes()
    {
        using var ws = MiniWorld.Create();
        var context = new StageContext(ws.Paths, null, PortfolioOptions.Default, 1);
        var stage = new ScanStage(Engines);
        var before = await stage.ComputeInputHashAsync(context, CancellationToken.None);
        Assert.Equal(before, await stage.ComputeInputHashAsync(context, CancellationToken.None));
        File.AppendAllText(Path.Combine(ws.Root, "catalog/jobs.csv"), "another,Another,,,,,\n");
        Assert.NotEqual(before, await stage.ComputeInputHashAsync(context, CancellationToken.None));
        Assert.NotEqual(before, await stage.ComputeInputHashAsync(context with { Settings = PortfolioOptions.Default with { TopN = 3 } }, CancellationToken.None));
    }
}
