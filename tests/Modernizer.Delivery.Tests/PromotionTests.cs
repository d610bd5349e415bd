using System.Text.Json.Nodes;
using LibGit2Sharp;
using Modernizer.Delivery.Promotion;
using Modernizer.Delivery.Tests.Fakes;
using Modernizer.Domain.Configuration;

namespace Modernizer.Delivery.Tests;

public sealed class PromotionTests
{
    private const string LegacyName = "Orders daily revenue (SOX)";

    private static JsonObject LegacyJob() => new()
    {
        ["name"] = LegacyName,
        ["tags"] = new JsonObject { ["team"] = "finance" },
        ["tasks"] = new JsonArray(new JsonObject { ["task_key"] = "legacy", ["spark_python_task"] = new JsonObject { ["python_file"] = "dbfs:/jobs/orders_daily_revenue/main.py" } }),
    };

    [Fact]
    public async Task A_sample_job_goes_to_prod_against_the_fakes_with_every_gate_logged_and_rolls_back()
    {
        using var workspace = new DeliveryWorkspace();
        await using var databricks = new FakeDatabricks();
        await using var production = new FakeDatabricks();
        await using var github = new FakeGitHub("retail", "etl");
        var legacyId = production.AddJob(LegacyJob());
        // Databricks running the staging job writes its output where shadow mode reads it.
        databricks.OnRun = _ => CopyFolder(Path.Combine(workspace.Layout.Folder, "output", "curated.daily_revenue"), Path.Combine(workspace.Paths.Output, "shadow", "curated", "daily_revenue"));
        var service = new DeliveryService(workspace.Paths, workspace.Settings(databricks, github, shadowRuns: 2, prod: production), DeliveryWorkspace.Environment, TimeProvider.System);

        var analysed = await service.AnalyzeAsync(workspace.Job, CancellationToken.None);
        Assert.False(analysed.Result.Blocking);

        var packaged = await service.PackageAsync([workspace.Job], CancellationToken.None);
        var package = Assert.Single(packaged.Result);
        Assert.True(package.Bundle.Written);
        var yaml = File.ReadAllText(Path.Combine(package.Bundle.Folder!, "databricks.yml"));
        Assert.Contains("quartz_cron_expression: \"0 30 2 ? * 2-6\"", yaml, StringComparison.Ordinal);
        Assert.Contains("timezone_id: \"America/New_York\"", yaml, StringComparison.Ordinal);
        Assert.Contains($"rewrite_hash: \"{Modernizer.Domain.Workspace.RewriteLayout.Hash(workspace.Layout.Folder)}\"", yaml, StringComparison.Ordinal);
        Assert.Contains("legacy_job_id: \"orders_daily_revenue\"", yaml, StringComparison.Ordinal);
        Assert.Contains(package.Bundle.Files, f => f == "src/orders_daily_revenue.sql");
        Assert.Contains(package.Bundle.Files, f => f == "tests/results.json");
        Assert.Contains(package.Bundle.Files, f => f == "reconciliation/reconciliation.json");
        Assert.Contains(package.Bundle.Files, f => f == "spec/spec.json");
        Assert.Contains(package.Bundle.Files, f => f == ".sqlfluff");

        using (var remote = new Repository(workspace.Remote))
        {
            var branch = remote.Branches["modernize/orders_daily_revenue"];
            Assert.NotNull(branch);
            Assert.Equal(remote.Branches["main"].Tip.Id, Assert.Single(branch.Tip.Parents).Id);
            Assert.NotNull(branch.Tip["bundles/modernize_orders_daily_revenue/databricks.yml"]);
        }

        var pr = package.PullRequest!;
        Assert.Equal(1, pr.Number);
        Assert.Equal("open", pr.State);
        Assert.Contains(github.Requests, r => r.StartsWith("POST /api/v3/repos/retail/etl/pulls", StringComparison.Ordinal));
        var body = github.Pulls[1]["body"]!.GetValue<string>();
        if (Environment.GetEnvironmentVariable("MODERNIZE_WRITE_PR_EXAMPLE") is { Length: > 0 } example)
        {
            File.WriteAllText(example, body);
        }

        Assert.Contains("**match** at a match rate of **100.00%**; it ran on this rewrite (same hash).", body, StringComparison.Ordinal);
        Assert.Contains("3 passed, 0 failed", body, StringComparison.Ordinal);
        Assert.Contains("| A1 | Orders with a NULL status are not COMPLETE | 72% |", body, StringComparison.Ordinal);

        var dev = await service.PromoteAsync(workspace.Job, "dev", CancellationToken.None);
        Assert.True(dev.Result.Promoted, dev.Result.Message);
        var devJob = databricks.Jobs[dev.Result.DatabricksJobId!.Value];
        Assert.Equal("PAUSED", devJob["schedule"]!["pause_status"]!.GetValue<string>());
        Assert.Equal("wh-dev", devJob["tasks"]![0]!["sql_task"]!["warehouse_id"]!.GetValue<string>());
        Assert.Contains(databricks.Created, c => c["access_control_list"] is JsonArray { Count: 2 });
        Assert.Contains("/Workspace/Shared/.bundle/dev/modernize_orders_daily_revenue/files/src/orders_daily_revenue.sql", databricks.Files.Keys);

        var staging = await service.PromoteAsync(workspace.Job, "staging", CancellationToken.None);
        Assert.True(staging.Result.Promoted, staging.Result.Message);
        Assert.Single(databricks.Submitted);
        Assert.Equal(2, staging.Result.Steps.Count(s => s.StartsWith("shadow run", StringComparison.Ordinal) && s.Contains("match at 100.00%", StringComparison.Ordinal)));

        // The pull request is still open: prod waits, and says why.
        foreach (var n in Enumerable.Range(0, 35))
        {
            github.Add("retail", "etl", "modernize/orders_daily_revenue", "main", "earlier attempt", string.Empty, "closed");
        }

        var held = await service.PromoteAsync(workspace.Job, "prod", CancellationToken.None);
        Assert.False(held.Result.Promoted);
        Assert.Contains(held.Result.Gates, g => g.Gate == "approval" && !g.Passed && g.Detail == "pull request #1 is open, not merged");
        Assert.Contains(github.Requests, r => r.Contains("page=2", StringComparison.Ordinal));
        Assert.Equal(LegacyName, production.Jobs[legacyId]["name"]!.GetValue<string>());
        Assert.Equal("legacy", production.Jobs[legacyId]["tasks"]![0]!["task_key"]!.GetValue<string>());

        github.Merge(1);
        var prod = await service.PromoteAsync(workspace.Job, "prod", CancellationToken.None);
        Assert.True(prod.Result.Promoted, prod.Result.Message);
        Assert.Equal(legacyId, prod.Result.DatabricksJobId);
        Assert.Equal("UNPAUSED", production.Jobs[legacyId]["schedule"]!["pause_status"]!.GetValue<string>());
        Assert.Equal("wh-prod", production.Jobs[legacyId]["tasks"]![0]!["sql_task"]!["warehouse_id"]!.GetValue<string>());
        Assert.Empty(production.Created);
        string[] gates = ["bundle_current", "static_analysis_clean", "tests_passed", "reconciliation_passed", "previous_environment", "escalations_approved", "approval", "staging_validation_run", "shadow_runs"];
        Assert.Equal(gates, prod.Decisions.Where(d => d.Kind == "gate_passed").Select(d => d.Rule["R5.1.gate.".Length..]));
        Assert.Contains(prod.Decisions, d => d.Kind == "promoted");

        var record = await DeploymentRecord.ReadAsync(workspace.Paths, workspace.Job, CancellationToken.None);
        Assert.Equal("prod", record.Furthest());
        Assert.Equal("prod", DeploymentRecord.EnvironmentOf(workspace.Paths, workspace.Job));

        var rolledBack = await service.RollbackAsync(workspace.Job, "prod", CancellationToken.None);
        Assert.True(rolledBack.Result.Promoted);
        Assert.Equal("legacy", production.Jobs[legacyId]["tasks"]![0]!["task_key"]!.GetValue<string>());
        Assert.Contains(rolledBack.Decisions, d => d.Kind == "rolled_back");
        Assert.Equal("legacy", (await DeploymentRecord.ReadAsync(workspace.Paths, workspace.Job, CancellationToken.None)).In("prod")!.RewriteHash);
    }

    [Fact]
    public async Task A_new_attempt_updates_the_same_pull_request()
    {
        using var workspace = new DeliveryWorkspace();
        await using var github = new FakeGitHub("retail", "etl");
        var service = new DeliveryService(workspace.Paths, workspace.Settings(null, github), DeliveryWorkspace.Environment, TimeProvider.System);
        await service.AnalyzeAsync(workspace.Job, CancellationToken.None);
        var first = (await service.PackageAsync([workspace.Job], CancellationToken.None)).Result[0];

        File.AppendAllText(workspace.Layout.SparkSql, "-- second attempt\n");
        await service.AnalyzeAsync(workspace.Job, CancellationToken.None);
        var second = (await service.PackageAsync([workspace.Job], CancellationToken.None)).Result[0];

        Assert.Equal(first.PullRequest!.Number, second.PullRequest!.Number);
        Assert.Single(github.Pulls);
        Assert.Equal([first.PullRequest.Number], github.Updates);
        Assert.NotEqual(first.Branch!.CommitSha, second.Branch!.CommitSha);
        using var remote = new Repository(workspace.Remote);
        Assert.Equal(remote.Branches["main"].Tip.Id, Assert.Single(remote.Branches["modernize/orders_daily_revenue"].Tip.Parents).Id);
    }

    [Fact]
    public async Task A_rewrite_changed_after_its_reconciliation_is_not_promoted()
    {
        using var workspace = new DeliveryWorkspace();
        await using var databricks = new FakeDatabricks();
        var service = new DeliveryService(workspace.Paths, workspace.Settings(databricks), DeliveryWorkspace.Environment, TimeProvider.System);
        File.WriteAllText(workspace.Layout.SparkSql, DeliveryWorkspace.SparkSql.Replace("'COMPLETE'", "'COMPLETED'", StringComparison.Ordinal));
        await service.AnalyzeAsync(workspace.Job, CancellationToken.None);
        await service.PackageAsync([workspace.Job], CancellationToken.None);
        Assert.True((await service.PromoteAsync(workspace.Job, "dev", CancellationToken.None)).Result.Promoted);

        var staging = await service.PromoteAsync(workspace.Job, "staging", CancellationToken.None);

        Assert.False(staging.Result.Promoted);
        var gate = Assert.Single(staging.Result.Gates, g => g.Gate == "reconciliation_passed");
        Assert.False(gate.Passed);
        Assert.Contains("it changed after it was reconciled", gate.Detail, StringComparison.Ordinal);
        Assert.Contains(staging.Decisions, d => d.Kind == "gate_failed" && d.Rule == "R5.1.gate.reconciliation_passed");
        Assert.Empty(databricks.Submitted);
    }

    [Fact]
    public async Task A_secret_planted_in_the_bundle_blocks_packaging_and_promotion()
    {
        using var workspace = new DeliveryWorkspace();
        await using var databricks = new FakeDatabricks();
        var service = new DeliveryService(workspace.Paths, workspace.Settings(databricks), DeliveryWorkspace.Environment, TimeProvider.System);
        await service.AnalyzeAsync(workspace.Job, CancellationToken.None);
        File.WriteAllText(Path.Combine(workspace.Output, "tests", "results.json"),
            File.ReadAllText(Path.Combine(workspace.Output, "tests", "results.json")).Replace("\"coverage\": {}", "\"coverage\": {}, \"note\": \"AKIAIOSFODNN7EXAMPLE\"", StringComparison.Ordinal));

        var packaged = await service.PackageAsync([workspace.Job], CancellationToken.None);

        var result = Assert.Single(packaged.Result);
        Assert.False(result.Bundle.Written);
        Assert.Contains(result.Bundle.Secrets, s => s.Rule == "SEC03" && s.File == "tests/results.json");
        Assert.False(Directory.Exists(Path.Combine(workspace.Output, "bundle")));
        using (var remote = new Repository(workspace.Remote))
        {
            Assert.Null(remote.Branches["modernize/orders_daily_revenue"]);
        }

        var dev = await service.PromoteAsync(workspace.Job, "dev", CancellationToken.None);
        Assert.False(dev.Result.Promoted);
        Assert.Contains(dev.Result.Gates, g => g.Gate == "static_analysis_clean" && !g.Passed && g.Detail.Contains("SEC03", StringComparison.Ordinal));
        Assert.Empty(databricks.Created);
    }

    [Fact]
    public async Task An_unapproved_escalation_holds_prod()
    {
        using var workspace = new DeliveryWorkspace();
        await using var databricks = new FakeDatabricks();
        var settings = workspace.Settings(databricks) with { };
        settings = settings with { Delivery = settings.Delivery with { Promotion = settings.Delivery.Promotion with { Approvals = settings.Delivery.Promotion.Approvals.Add("orders_daily_revenue", "ana (finance)") } } };
        var service = new DeliveryService(workspace.Paths, settings, DeliveryWorkspace.Environment, TimeProvider.System);
        await service.AnalyzeAsync(workspace.Job, CancellationToken.None);
        await service.PackageAsync([workspace.Job], CancellationToken.None);
        Assert.True((await service.PromoteAsync(workspace.Job, "dev", CancellationToken.None)).Result.Promoted);
        Assert.True((await service.PromoteAsync(workspace.Job, "staging", CancellationToken.None)).Result.Promoted);
        workspace.SetEscalations(("esc-0123456789ab", "approved"), ("esc-aaaaaaaaaaaa", "open"));

        var prod = await service.PromoteAsync(workspace.Job, "prod", CancellationToken.None);

        Assert.False(prod.Result.Promoted);
        Assert.Contains(prod.Result.Gates, g => g.Gate == "escalations_approved" && !g.Passed && g.Detail == "not approved: esc-aaaaaaaaaaaa (open)");
        Assert.Contains(prod.Result.Gates, g => g.Gate == "approval" && g.Passed && g.Detail.Contains("ana (finance)", StringComparison.Ordinal));
        Assert.Null((await DeploymentRecord.ReadAsync(workspace.Paths, workspace.Job, CancellationToken.None)).In("prod"));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        }
    }
}
