using System.Text.Json;
using Modernizer.Specs.Testing.Design;
using Modernizer.Specs.Testing.Harness;
using Modernizer.Specs.Tests.Support;

namespace Modernizer.Specs.Tests;

/// <summary>The Test Data Generator (R3.2) and Test Harness Builder (R3.3) on the test workspace: inputs solve the
/// goals and keep the relations between tables; expected rows come from the legacy runner; tests are data.</summary>
public sealed class TestDataAndHarnessTests(MiniShop shop) : IClassFixture<MiniShop>
{
    private readonly Lazy<Task<SpecsRun>> _run = new(() => SpecsRun.RunAsync(shop.Workspace, shop.Job, shop.Settings, tests: true));

    [Fact]
    public async Task Every_applicable_goal_is_reached_on_its_cases_inputs()
    {
        var run = await _run.Value;
        Assert.All(run.Fixtures!.Cases.SelectMany(c => c.Goals).Where(g => g.Reached is not null), g => Assert.True(g.Reached, g.Goal + ": " + g.How));
        Assert.Equal(run.Harness!.Coverage.Applicable, run.Harness.Coverage.Reached);
    }

    [Fact]
    public async Task Boundary_values_are_solved_from_the_predicate_and_a_null_goal_holds_a_null()
    {
        var run = await _run.Value;
        var below = Given(run, "qty >= 2", GoalKind.BoundaryBelow, "raw.orders");
        Assert.Contains(below, row => row.GetProperty("qty").ValueKind == JsonValueKind.Number && row.GetProperty("qty").GetInt32() == 1);
        var nullGoal = run.Inventory.Cases.Single(c => c.Goals.Any(g => g.Kind is GoalKind.PredicateNull && g.Column == "qty"));
        var rows = run.Harness!.Cases.Single(c => c.Case == nullGoal.Id).Given.Single(t => t.Table == "raw.orders").Rows;
        Assert.Contains(rows, r => JsonDocument.Parse(r).RootElement.GetProperty("qty").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task The_sample_keeps_the_relation_between_orders_and_rates()
    {
        var run = await _run.Value;
        var happy = run.Harness!.Cases.Single(c => c.Case == "happy_path");
        var orders = happy.Given.Single(t => t.Table == "raw.orders").Rows.Select(r => JsonDocument.Parse(r).RootElement).ToList();
        var rates = happy.Given.Single(t => t.Table == "raw.rates").Rows.Select(r => JsonDocument.Parse(r).RootElement).ToList();
        Assert.InRange(orders.Count, 10, 24);
        var keys = rates.Select(r => (r.GetProperty("rate_day").GetString(), r.GetProperty("currency").GetString())).ToHashSet();
        var matched = orders.Count(o => keys.Contains((o.GetProperty("day").GetString(), o.GetProperty("currency").GetString())));
        Assert.True(matched >= orders.Count - 3, $"{matched} of {orders.Count} sampled orders have their rate in the sample");
    }

    [Fact]
    public async Task Expected_rows_come_from_the_legacy_runner_and_differ_where_the_goal_changes_the_output()
    {
        var run = await _run.Value;
        Assert.All(run.Harness!.Cases, c => Assert.Equal("legacy_runner", c.Expect.Source));
        var happy = Rows(run, "happy_path");
        var duplicate = Rows(run, run.Inventory.Cases.Single(c => c.Goals.Any(g => g.Kind == GoalKind.JoinDuplicateKey) && c.Tags.IsEmpty).Id);
        Assert.True(duplicate > happy, $"a duplicated rate row repeats the orders it matches: {duplicate} rows against {happy}");
        Assert.Equal(0, Rows(run, "empty_raw_orders"));
        Assert.True(File.Exists(Path.Combine(shop.Tests, "coverage.json")));
        Assert.True(File.Exists(Path.Combine(shop.Tests, "coverage.md")));
    }

    [Fact]
    public async Task Case_files_are_yaml_that_reads_back_to_the_same_inputs_and_expected_rows()
    {
        var run = await _run.Value;
        foreach (var file in run.Harness!.Cases)
        {
            var path = Path.Combine(shop.Tests, "cases", file.Case + ".yaml");
            var read = CaseFile.Parse(path, await File.ReadAllTextAsync(path));
            Assert.Equal(file.Case, read.Case);
            Assert.Equal(file.Tags.AsEnumerable(), read.Tags.AsEnumerable());
            Assert.Equal(file.RequirementIds.AsEnumerable(), read.RequirementIds.AsEnumerable());
            Assert.Equal(file.Given.Select(t => (t.Table, t.Rows.Length)), read.Given.Select(t => (t.Table, t.Rows.Length)));
            Assert.Equal(file.Given.SelectMany(t => t.Rows).Select(Normalize), read.Given.SelectMany(t => t.Rows).Select(Normalize));
            Assert.Equal(file.Expect.Outputs.SelectMany(t => t.Rows).Select(Normalize), read.Expect.Outputs.SelectMany(t => t.Rows).Select(Normalize));
            Assert.Equal(file.Expect.Status, read.Expect.Status);
        }
    }

    [Fact]
    public async Task Without_a_legacy_runner_cases_are_expected_unknown_and_the_coverage_report_says_so()
    {
        var run = await _run.Value;
        var folder = Path.Combine(shop.Root, "no-runner-" + Guid.NewGuid().ToString("N"));
        var result = await new TestHarnessBuilder().BuildAsync(run.Inputs, run.Inventory, run.Fixtures!, null, folder, CancellationToken.None);
        Assert.All(result.Cases, c => Assert.Equal(ExpectationStatus.ExpectedUnknown, c.Expect.Status));
        Assert.Equal(result.Cases.Length, result.Coverage.ExpectedUnknown);
        Assert.False(result.Coverage.LegacyRunner);
        Assert.Contains("Expected unknown", await File.ReadAllTextAsync(Path.Combine(folder, "coverage.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_runner_the_sample_case_of_a_row_by_row_job_takes_its_rows_from_the_legacy_output_in_the_lake()
    {
        var paid = await SpecsRun.RunAsync(shop.Workspace, new Domain.JobId("shop_paid"), shop.Settings, tests: true, legacyRunner: false);
        var happy = paid.Harness!.Cases.Single(c => c.Case == "happy_path");
        Assert.Equal(ExpectationStatus.Known, happy.Expect.Status);
        Assert.Equal("lake_output", happy.Expect.Source);
        var orders = happy.Given.Single().Rows.Select(r => JsonDocument.Parse(r).RootElement).Where(o => o.GetProperty("status").ValueKind == JsonValueKind.String && o.GetProperty("status").GetString() == "PAID").ToList();
        Assert.Equal(orders.Select(o => o.GetProperty("order_id").GetInt64()).Order(), happy.Expect.Outputs.Single().Rows.Select(r => JsonDocument.Parse(r).RootElement.GetProperty("order_id").GetInt64()).Order());
        Assert.All(paid.Harness.Cases.Where(c => c.Case != "happy_path"), c => Assert.Equal(ExpectationStatus.ExpectedUnknown, c.Expect.Status));
        Assert.Equal(paid.Harness.Cases.Length - 1, paid.Harness.Coverage.ExpectedUnknown);
    }

    private static int Rows(SpecsRun run, string id) => run.Harness!.Cases.Single(c => c.Case == id).Expect.Outputs.Single().Rows.Length;

    private static List<JsonElement> Given(SpecsRun run, string predicate, GoalKind kind, string table)
    {
        var design = run.Inventory.Cases.First(c => c.Goals.Any(g => g.Kind == kind && g.Description.Contains(predicate, StringComparison.Ordinal)));
        return [.. run.Harness!.Cases.Single(c => c.Case == design.Id).Given.Single(t => t.Table == table).Rows.Select(r => JsonDocument.Parse(r).RootElement)];
    }

    private static string Normalize(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}
