using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Workspace;
using Modernizer.Specs.Testing.Harness;
using Modernizer.Specs.Testing.Running;
using Modernizer.Specs.Tests.Support;

namespace Modernizer.Specs.Tests;

/// <summary>The Test Runner (R4.3) against hand-written rewrites that follow the Code Writer's contract: the
/// correct rewrite passes every generated case; a rewrite broken on purpose fails the cases that cover what broke.</summary>
public sealed class TestRunnerTests(MiniShop shop) : IClassFixture<MiniShop>
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static SpecsRun? generated;

    private async Task<SpecsRun> GeneratedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return generated is not null && Directory.Exists(shop.Tests)
                ? generated
                : generated = await SpecsRun.RunAsync(shop.Workspace, shop.Job, shop.Settings, tests: true);
        }
        finally
        {
            Gate.Release();
        }
    }

    private Task<TestResults> RunAsync() => new TestRunner(new DuckDbCaseExecutor()).RunAsync(shop.Workspace, shop.Job, null, CancellationToken.None);

    [Fact]
    public async Task The_correct_rewrite_passes_every_case_and_results_json_is_written()
    {
        await GeneratedAsync();
        shop.InstallRewrite();
        var results = await RunAsync();
        Assert.True(results.Failed == 0 && results.Errors == 0, string.Join("; ", results.Cases.Where(c => c.Status != CaseStatus.Passed).Select(c => $"{c.Id}: {c.Message}")));
        Assert.Equal(0, results.ExitCode);
        Assert.True(results.Passed > 10);
        Assert.Equal(RewriteLayout.Hash(RewriteLayout.For(shop.Workspace, shop.Job).Folder), results.RewriteHash);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(shop.Tests, "results.json")));
        var root = json.RootElement;
        Assert.Equal(results.Passed, root.GetProperty("passed").GetInt32());
        Assert.Equal(0, root.GetProperty("failed").GetInt32());
        var first = root.GetProperty("cases")[0];
        foreach (var field in new[] { "id", "kind", "tags", "requirement_ids", "status" })
        {
            Assert.True(first.TryGetProperty(field, out _), field);
        }

        Assert.True(root.GetProperty("coverage").GetProperty("applicable").GetInt32() > 0);
    }

    [Fact]
    public async Task A_flipped_boundary_predicate_fails_the_boundary_and_predicate_cases()
    {
        await GeneratedAsync();
        shop.InstallRewrite(sql => sql.Replace("o.qty >= 2", "o.qty > 2", StringComparison.Ordinal));
        var results = await RunAsync();
        Assert.Equal(1, results.ExitCode);
        Assert.Contains(results.FailingCases, c => c.Contains("boundary_at", StringComparison.Ordinal));
        Assert.DoesNotContain(results.FailingCases, c => c.Contains("boundary_below", StringComparison.Ordinal));
        var failure = results.Cases.First(c => c.Status == CaseStatus.Failed);
        Assert.Contains("legacy rows missing", failure.Message, StringComparison.Ordinal);
        Assert.NotEmpty(failure.Targets.Single().Samples);
    }

    [Fact]
    public async Task An_inner_join_instead_of_the_left_join_fails_the_unmatched_case()
    {
        await GeneratedAsync();
        shop.InstallRewrite(sql => sql.Replace("LEFT JOIN", "JOIN", StringComparison.Ordinal));
        var results = await RunAsync();
        Assert.Contains(results.FailingCases, c => c.EndsWith("left_unmatched", StringComparison.Ordinal));
        Assert.DoesNotContain("empty_raw_orders", results.FailingCases);
    }

    [Fact]
    public async Task A_changed_rounding_fails_where_the_sample_holds_a_tie()
    {
        await GeneratedAsync();
        shop.InstallRewrite(sql => sql.Replace("round(o.amount * r.rate, 2)", "round_even(o.amount * r.rate, 2)", StringComparison.Ordinal));
        var results = await RunAsync();
        // GBP at 1.3 on amounts ending in .25 or .75 ties at the third decimal (8.125): half-up and half-even differ.
        Assert.Equal(1, results.ExitCode);
        Assert.Contains("happy_path", results.FailingCases);
    }

    [Fact]
    public async Task A_rewrite_that_does_not_run_fails_and_a_missing_rewrite_is_an_error()
    {
        await GeneratedAsync();
        shop.InstallRewrite(sql => sql.Replace("raw.rates", "raw.no_such_table", StringComparison.Ordinal));
        var broken = await RunAsync();
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("failed", broken.Cases.First().Message, StringComparison.Ordinal);

        Directory.Delete(RewriteLayout.For(shop.Workspace, shop.Job).Folder, recursive: true);
        await Assert.ThrowsAsync<FileNotFoundException>(RunAsync);
    }

    [Fact]
    public async Task Inactive_and_expected_unknown_cases_never_fail_and_a_malformed_case_is_an_error()
    {
        await GeneratedAsync();
        shop.InstallRewrite();
        var cases = Path.Combine(shop.Tests, "cases");
        var happy = CaseFile.Parse("happy", await File.ReadAllTextAsync(Path.Combine(cases, "happy_path.yaml")));
        await File.WriteAllTextAsync(Path.Combine(cases, "zz_inactive.yaml"), (happy with { Case = "zz_inactive", Active = false, Expect = happy.Expect with { Outputs = [] } }).ToYaml());
        await File.WriteAllTextAsync(Path.Combine(cases, "zz_unknown.yaml"), (happy with { Case = "zz_unknown", Expect = new CaseExpectation(ExpectationStatus.ExpectedUnknown, "none", "no runner", []) }).ToYaml());
        try
        {
            var results = await RunAsync();
            Assert.Contains("zz_inactive", results.Inactive);
            Assert.Equal(CaseStatus.ExpectedUnknown, results.Cases.Single(c => c.Id == "zz_unknown").Status);
            Assert.Equal(0, results.ExitCode);

            await File.WriteAllTextAsync(Path.Combine(cases, "zz_broken.yaml"), "case: zz_broken\nexpect: [not, a, mapping]\n");
            var broken = await RunAsync();
            Assert.Equal(2, broken.ExitCode);
            Assert.Contains("zz_broken.yaml", broken.Cases.Single(c => c.Id == "zz_broken").Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var name in new[] { "zz_inactive", "zz_unknown", "zz_broken" })
            {
                File.Delete(Path.Combine(cases, name + ".yaml"));
            }
        }
    }

    [Fact]
    public async Task When_the_legacy_program_fails_on_the_inputs_the_rewrite_must_fail_too()
    {
        await GeneratedAsync();
        shop.InstallRewrite();
        var cases = Path.Combine(shop.Tests, "cases");
        var happy = CaseFile.Parse("happy", await File.ReadAllTextAsync(Path.Combine(cases, "happy_path.yaml")));
        var failing = happy with { Case = "zz_legacy_error", Expect = new CaseExpectation(ExpectationStatus.LegacyError, "legacy_runner", "the legacy program fails", []) };
        await File.WriteAllTextAsync(Path.Combine(cases, "zz_legacy_error.yaml"), failing.ToYaml());
        try
        {
            var results = await RunAsync();
            var result = results.Cases.Single(c => c.Id == "zz_legacy_error");
            Assert.Equal(CaseStatus.Failed, result.Status);
            Assert.Contains("legacy program fails", result.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(Path.Combine(cases, "zz_legacy_error.yaml"));
        }
    }
}
