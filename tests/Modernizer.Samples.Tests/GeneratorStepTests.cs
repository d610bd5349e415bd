using System.Collections.Concurrent;
using System.Security.Cryptography;
using Modernizer.Samples.Generation;

namespace Modernizer.Samples.Tests;

/// <summary>The generator runs independent steps side by side (each statement on one DuckDB thread): the
/// bytes do not depend on how many run at once, a step waits for the steps it reads, and a failing step
/// stops the ones that need it and is reported by name.</summary>
public sealed class GeneratorStepTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "modernizer-steps-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Steps_run_side_by_side_write_the_same_bytes_as_steps_run_one_at_a_time()
    {
        var options = new SampleOptions { Jobs = 120, Days = 40, IncludeLake = false };
        await SampleWorkspaceWriter.WriteAsync(Path.Combine(_dir, "one"), options with { Parallelism = 1 }, null, CancellationToken.None);
        await SampleWorkspaceWriter.WriteAsync(Path.Combine(_dir, "four"), options with { Parallelism = 4 }, null, CancellationToken.None);

        var one = Hashes(Path.Combine(_dir, "one"));
        var four = Hashes(Path.Combine(_dir, "four"));
        Assert.Contains("finops/billing/usage/part-1.parquet", one.Keys);
        Assert.Equal(one, four);
    }

    [Fact]
    public void Every_catalog_step_names_the_steps_it_reads_and_they_exist()
    {
        var script = CatalogGenerator.Script(_dir, new SampleOptions());
        var names = script.Steps.Select(s => s.Name).ToList();

        Assert.Empty(script.Steps[0].After);
        Assert.All(script.Steps.Skip(1), s => Assert.NotEmpty(s.After));
        Assert.All(script.Steps, s => Assert.All(s.After, a => Assert.True(names.IndexOf(a) < names.IndexOf(s.Name), $"{s.Name} runs after {a}, which comes later")));
        Assert.Contains("usage", script.Steps.Single(s => s.Name == "billing 1").After);
    }

    [Fact]
    public async Task A_failing_step_is_reported_and_the_steps_after_it_never_run()
    {
        await using var db = await SampleDb.OpenAsync(CancellationToken.None);
        var ran = new ConcurrentBag<string>();
        var graph = new StepGraph();
        graph.Add("base", [], async (s, ct) =>
        {
            await s.ExecuteAsync("CREATE TABLE t AS SELECT range AS i FROM range(10)", ct);
            ran.Add("base");
        });
        graph.Add("broken", ["base"], (s, ct) => s.ExecuteStepAsync("test", new SqlStep("broken", "SELECT * FROM no_such_table"), ct));
        graph.Add("after broken", ["broken"], (_, _) =>
        {
            ran.Add("after broken");
            return Task.CompletedTask;
        });
        graph.Add("beside", ["base"], async (s, ct) =>
        {
            Assert.Equal(10L, await s.ScalarAsync<long>("SELECT count(*) FROM t", ct));
            ran.Add("beside");
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => graph.RunAsync(db, 2, CancellationToken.None));
        Assert.Contains("step 'broken'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("after broken", ran);
        Assert.Contains("base", ran);
    }

    [Fact]
    public void A_step_after_an_unknown_step_is_refused()
    {
        var graph = new StepGraph();
        var error = Assert.Throws<InvalidOperationException>(() => graph.Add("late", ["missing"], (_, _) => Task.CompletedTask));
        Assert.Contains("'missing'", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Hashes(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(root, f).Replace('\\', '/'),
            f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f))),
            StringComparer.Ordinal);
}
