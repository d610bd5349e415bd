using System.Diagnostics;
using System.Globalization;
using Modernizer.Domain;
using Modernizer.Domain.Configuration;
using Modernizer.Domain.Workspace;
using Modernizer.Samples;
using Modernizer.Samples.Legacy;
using Modernizer.Specs.Jobs;
using Modernizer.Specs.Requirements;
using Modernizer.Specs.Spec;
using Modernizer.Specs.Testing.Data;
using Modernizer.Specs.Testing.Design;
using Modernizer.Specs.Testing.Harness;
using Modernizer.Specs.Testing.Running;

namespace Modernizer.Bench;

/// <summary>Tiers 2-3 on the retail sample's 12 jobs (R2.3, R3.1-R3.3, R4.3): requirements with their evidence
/// queries, the spec, test design, fixtures from the lake, goldens from the legacy runner, and the test run
/// against the rewrites on disk (jobs without one are skipped; orders_usd_normalized gets the hand-written
/// rewrite of the tests' fixtures when the workspace has none). Anchor: the legacy runner alone on the same
/// fixtures — the floor of any golden-test generation that asks the legacy side.</summary>
internal sealed class SpecsBench : IBench
{
    public string Name => "specs";

    public string Description => "spec + test generation + test run for the retail sample's 12 jobs (options: --workspace DIR)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var given = args.Length >= 2 && args[0] == "--workspace" ? Path.GetFullPath(args[1]) : null;
        var root = given ?? Path.Combine(Path.GetTempPath(), "modernizer-bench-specs-" + Guid.NewGuid().ToString("N"));
        try
        {
            if (given is null)
            {
                var write = Stopwatch.StartNew();
                await SampleWorkspaceWriter.WriteAsync(root, new Modernizer.Samples.SampleOptions(), null, cancellationToken);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sample written in {write.Elapsed.TotalSeconds:0.0} s"));
            }

            var workspace = new WorkspacePaths(root);
            var settings = ModernizeSettings.Default;
            var runner = LegacyRunner.ForWorkspace(root);
            var jobs = Directory.EnumerateDirectories(workspace.Jobs).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            Console.WriteLine("job                        load   reqs   spec design   data harness   run | requirements sites cases goals-reached tests");
            var totals = new double[7];
            long anchorMs = 0;
            var cases = 0;
            foreach (var name in jobs)
            {
                var job = new JobId(name);
                var times = new double[7];
                var watch = Stopwatch.StartNew();
                var inputs = await JobInputsLoader.LoadAsync(workspace, settings, job, cancellationToken);
                times[0] = Lap(watch);
                var requirements = await new RequirementsInferencer().InferAsync(inputs, null, cancellationToken);
                times[1] = Lap(watch);
                var inventory = TestCaseDesigner.Design(inputs, requirements);
                times[3] = Lap(watch);
                var spec = SpecBuilder.Build(requirements, inputs.Analysis, inventory);
                Directory.CreateDirectory(workspace.JobOutput(job));
                await SpecWriter.WriteAsync(workspace.JobOutput(job), spec, cancellationToken);
                times[2] = Lap(watch);
                var tests = Path.Combine(workspace.JobOutput(job), "tests");
                var fixtures = await new TestDataGenerator().GenerateAsync(inputs, inventory, Path.Combine(tests, "fixtures"), cancellationToken);
                times[4] = Lap(watch);
                var harness = await new TestHarnessBuilder().BuildAsync(inputs, inventory, fixtures, runner, tests, cancellationToken);
                times[5] = Lap(watch);
                anchorMs += await AnchorAsync(runner, name, fixtures, cancellationToken);
                var layout = RewriteLayout.For(workspace, job);
                var fixture = FixtureRewrite(name);
                if (!File.Exists(layout.DuckDbSql) && fixture is not null)
                {
                    Directory.CreateDirectory(layout.Folder);
                    File.Copy(fixture, layout.DuckDbSql);
                }

                var result = "no rewrite";
                if (Directory.Exists(layout.Folder))
                {
                    watch.Restart();
                    var run = await new TestRunner(new DuckDbCaseExecutor()).RunAsync(workspace, job, null, cancellationToken);
                    times[6] = Lap(watch);
                    result = string.Create(CultureInfo.InvariantCulture, $"{run.Passed} passed, {run.Failed} failed");
                }

                cases += harness.Cases.Length;
                var sites = requirements.Sites.Count(s => s.Kind is "filter" or "join" or "aggregate" or "derived_column");
                var covered = requirements.Sites.Count(s => s.Kind is "filter" or "join" or "aggregate" or "derived_column" && !s.Requirements.IsEmpty);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-26} {times[0],5:0.0} {times[1],6:0.0} {times[2],6:0.0} {times[3],6:0.0} {times[4],6:0.0} {times[5],7:0.0} {times[6],5:0.0} | {requirements.Requirements.Length,12} {covered,2}/{sites,-2} {harness.Cases.Length,5} {harness.Coverage.Reached,6}/{harness.Coverage.Applicable,-6} {result}"));
                for (var i = 0; i < totals.Length; i++)
                {
                    totals[i] += times[i];
                }
            }

            var total = totals.Sum();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"total {total:0.0} s for {jobs.Count} jobs and {cases} cases: load {totals[0]:0.0}, requirements {totals[1]:0.0}, spec {totals[2]:0.0}, design {totals[3]:0.0}, data {totals[4]:0.0}, harness {totals[5]:0.0}, test run {totals[6]:0.0} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"anchor: the legacy runner alone on every fixture {anchorMs / 1000.0:0.0} s; the harness is {totals[5] / Math.Max(0.001, anchorMs / 1000.0):0.00}x that"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MB, cores {Environment.ProcessorCount}"));
            return 0;
        }
        finally
        {
            if (given is null && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static double Lap(Stopwatch watch)
    {
        var seconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        return seconds;
    }

    /// <summary>The legacy runner alone on each case's fixture (a fresh output folder per run).</summary>
    private static async Task<long> AnchorAsync(LegacyRunner runner, string job, FixtureSet fixtures, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        foreach (var fixture in fixtures.Cases)
        {
            var output = Path.Combine(Path.GetTempPath(), "modernizer-bench-anchor-" + Guid.NewGuid().ToString("N"));
            try
            {
                await runner.RunJsonlAsync(job, fixture.Folder, output, cancellationToken);
            }
            catch (LegacyRunException)
            {
                // The case expects the legacy failure; the time still counts.
            }
            finally
            {
                if (Directory.Exists(output))
                {
                    Directory.Delete(output, recursive: true);
                }
            }
        }

        return watch.ElapsedMilliseconds;
    }

    private static string? FixtureRewrite(string job)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, "tests", "Modernizer.Specs.Tests", "Fixtures", "retail", job, job + ".duckdb.sql");
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }
}
