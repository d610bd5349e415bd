using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Modernizer.Cli.Composition;
using Modernizer.Delivery.Tests.Fakes;

namespace Modernizer.Cli.Tests.Delivery;

/// <summary><c>modernize package</c>, <c>promote --env</c> and <c>rollback</c> in-process against the
/// Databricks and GitHub fakes: exit codes, gates in the decision log (hash chain intact), rollback.</summary>
public sealed class DeliveryCommandTests
{
    [Fact]
    public async Task Package_promote_to_prod_and_roll_back_through_the_commands()
    {
        using var workspace = new DeliveryWorkspace();
        await using var databricks = new FakeDatabricks();
        await using var production = new FakeDatabricks();
        await using var github = new FakeGitHub("retail", "etl");
        var legacyId = production.AddJob(new JsonObject
        {
            ["name"] = "Orders daily revenue (SOX)",
            ["tasks"] = new JsonArray(new JsonObject { ["task_key"] = "legacy", ["spark_python_task"] = new JsonObject { ["python_file"] = "dbfs:/jobs/main.py" } }),
        });
        File.WriteAllText(Path.Combine(workspace.Root, "modernize.yaml"), string.Create(CultureInfo.InvariantCulture, $"""
            delivery:
              permissions:
                "group:finance-data": CAN_MANAGE
              targets:
                dev: {"{"}host: "{databricks.BaseUrl}", warehouse_id: wh-dev{"}"}
                staging: {"{"}host: "{databricks.BaseUrl}", warehouse_id: wh-staging{"}"}
                prod: {"{"}host: "{production.BaseUrl}", warehouse_id: wh-prod{"}"}
              repository:
                url: "{workspace.Remote}"
                api_url: "{github.BaseUrl}"
                owner: retail
                name: etl
              promotion:
                poll_interval_seconds: 0
            """));
        var services = CliRunner.Services() with
        {
            Environment = new Dictionary<string, string> { ["DATABRICKS_TOKEN"] = FakeDatabricks.Token, ["GITHUB_TOKEN"] = FakeGitHub.Token },
        };

        var (exit, output) = await CliRunner.RunAsync(services, "package", "--workspace", workspace.Root, "--job", "orders_daily_revenue", "--json");
        Assert.True(exit == 0, output);
        using (var package = JsonDocument.Parse(output))
        {
            var bundle = package.RootElement.GetProperty("bundles")[0];
            Assert.Equal("modernize/orders_daily_revenue", bundle.GetProperty("branch").GetString());
            Assert.Equal(1, bundle.GetProperty("pull_request").GetProperty("number").GetInt32());
        }

        Assert.Equal(0, (await CliRunner.RunAsync(services, "promote", "--workspace", workspace.Root, "--job", "orders_daily_revenue", "--env", "dev")).Exit);
        Assert.Equal(0, (await CliRunner.RunAsync(services, "promote", "--workspace", workspace.Root, "--job", "orders_daily_revenue", "--env", "staging")).Exit);
        var (heldExit, held) = await CliRunner.RunAsync(services, "promote", "--workspace", workspace.Root, "--job", "orders_daily_revenue", "--env", "prod");
        Assert.Equal(1, heldExit);
        Assert.Contains("approval", held, StringComparison.Ordinal);
        Assert.Contains("pull request #1 is open, not merged", held, StringComparison.Ordinal);

        github.Merge(1);
        var (prodExit, prod) = await CliRunner.RunAsync(services, "promote", "--workspace", workspace.Root, "--job", "orders_daily_revenue", "--env", "prod", "--json");
        Assert.True(prodExit == 0, prod);
        Assert.Equal("sql_task", production.Jobs[legacyId]["tasks"]![0]!.AsObject().First(p => p.Key.EndsWith("_task", StringComparison.Ordinal)).Key);

        Assert.Equal(0, (await CliRunner.RunAsync(services, "decisions", "--workspace", workspace.Root, "--verify")).Exit);
        var (decisionsExit, decisions) = await CliRunner.RunAsync(services, "decisions", "--workspace", workspace.Root, "--job", "orders_daily_revenue");
        Assert.Equal(0, decisionsExit);
        foreach (var gate in new[] { "reconciliation_passed", "tests_passed", "static_analysis_clean", "escalations_approved", "approval", "staging_validation_run" })
        {
            Assert.Contains("R5.1.gate." + gate, decisions, StringComparison.Ordinal);
        }

        var (rollbackExit, rollback) = await CliRunner.RunAsync(services, "rollback", "--workspace", workspace.Root, "--job", "orders_daily_revenue", "--env", "prod");
        Assert.True(rollbackExit == 0, rollback);
        Assert.Equal("legacy", production.Jobs[legacyId]["tasks"]![0]!["task_key"]!.GetValue<string>());
        Assert.Equal(2, (await CliRunner.RunAsync(services, "rollback", "--workspace", workspace.Root, "--job", "orders_daily_revenue", "--env", "dev")).Exit);
    }
}
