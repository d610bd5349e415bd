using Modernizer.Specs.Testing.Design;
using Modernizer.Specs.Tests.Support;

namespace Modernizer.Specs.Tests;

/// <summary>The Test Case Designer (R3.1): coverage goals come from the plan, one case per goal, defect-preserving
/// cases tagged, and goals no data can reach say why.</summary>
public sealed class TestDesignTests(MiniShop shop) : IClassFixture<MiniShop>
{
    private readonly Lazy<Task<SpecsRun>> _run = new(() => SpecsRun.RunAsync(shop.Workspace, shop.Job, shop.Settings, tests: false));

    [Fact]
    public async Task Each_predicate_gets_true_false_and_null_goals_and_each_constant_its_boundaries()
    {
        var inventory = (await _run.Value).Inventory;
        var qty = inventory.Goals.Where(g => g.Description.Contains("qty >= 2", StringComparison.Ordinal) || (g.Column == "qty" && g.Kind is GoalKind.BoundaryBelow or GoalKind.BoundaryAt or GoalKind.BoundaryAbove)).ToList();
        Assert.Contains(qty, g => g.Kind == GoalKind.PredicateTrue && g.NotApplicable is null);
        Assert.Contains(qty, g => g.Kind == GoalKind.PredicateFalse && g.NotApplicable is null);
        Assert.Contains(qty, g => g.Kind == GoalKind.PredicateNull && g.NotApplicable is null);
        Assert.Equal(3, qty.Count(g => g.Kind is GoalKind.BoundaryBelow or GoalKind.BoundaryAt or GoalKind.BoundaryAbove));
        Assert.All(qty.Where(g => g.NotApplicable is null), g => Assert.Contains(inventory.Cases, c => c.Goals.Any(x => x.Id == g.Id)));
    }

    [Fact]
    public async Task Joins_get_matched_unmatched_and_duplicate_key_goals_and_inputs_get_empty_and_null_goals()
    {
        var inventory = (await _run.Value).Inventory;
        foreach (var kind in new[] { GoalKind.JoinMatched, GoalKind.JoinLeftUnmatched, GoalKind.JoinRightUnmatched, GoalKind.JoinDuplicateKey })
        {
            Assert.Contains(inventory.Goals, g => g.Kind == kind && g.NotApplicable is null);
        }

        Assert.Contains(inventory.Cases, c => c.Id == "empty_raw_orders");
        Assert.Contains(inventory.Cases, c => c.Id == "empty_raw_rates");
        Assert.Contains(inventory.Cases, c => c.Goals.Any(g => g.Kind == GoalKind.NullColumn && g.Column == "status") || c.Goals.Any(g => g.Kind == GoalKind.PredicateNull && g.Column == "status"));
        Assert.Equal(TestKind.HappyPath, inventory.Cases[0].Kind);
    }

    [Fact]
    public async Task Every_suspected_defect_gets_a_tagged_defect_preserving_case_and_every_case_traces_to_requirements()
    {
        var run = await _run.Value;
        foreach (var defect in run.Inputs.Analysis.SuspectedDefects)
        {
            var @case = Assert.Single(run.Inventory.Cases, c => c.Tags.Contains($"defect:{defect.Id}"));
            Assert.Equal(TestKind.Regression, @case.Kind);
            Assert.Contains(run.Requirements.Requirements.Single(r => r.Origin.Defect == defect.Id).Id, @case.RequirementIds);
        }

        Assert.All(run.Inventory.Cases, c => Assert.NotEmpty(c.RequirementIds));
    }

    [Fact]
    public async Task A_goal_data_cannot_reach_says_why_and_gets_no_case()
    {
        var inventory = (await _run.Value).Inventory;
        var derived = inventory.Goals.Where(g => g.NotApplicable is not null).ToList();
        Assert.All(derived, g => Assert.DoesNotContain(inventory.Cases, c => c.Goals.Any(x => x.Id == g.Id && x.NotApplicable is null)));
    }
}
