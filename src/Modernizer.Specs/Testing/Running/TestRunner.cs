using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Modernizer.Domain;
using Modernizer.Domain.Serialization;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Reconciliation;
using Modernizer.Specs.Testing.Harness;

namespace Modernizer.Specs.Testing.Running;

/// <summary>The Test Runner's engine (R4.3): every active case of a job run against the rewrite files as they
/// are on disk, never regenerated: the case's inputs built in the engine, the rewrite run, its rows compared
/// with the legacy rows by exact multiset reconciliation (the reconciler, keyless mode). It writes
/// tests/results.json; exit code 0 when all pass, 1 on a failure, 2 on an error.</summary>
public sealed class TestRunner(ICaseExecutor executor)
{
    public async Task<TestResults> RunAsync(WorkspacePaths workspace, JobId job, IProgress<CaseResult>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        var tests = Path.Combine(workspace.JobOutput(job), "tests");
        var casesFolder = Path.Combine(tests, "cases");
        if (!Directory.Exists(casesFolder))
        {
            throw new DirectoryNotFoundException($"No test cases in {casesFolder}: the Test Harness Builder has not run for job {job}.");
        }

        var rewrite = RewriteFiles.Load(RewriteLayout.For(workspace, job));
        var results = ImmutableArray.CreateBuilder<CaseResult>();
        var inactive = ImmutableArray.CreateBuilder<string>();
        var work = Path.Combine(workspace.Output, "tmp", "tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var path in Directory.EnumerateFiles(casesFolder, "*.yaml").Order(StringComparer.Ordinal))
            {
                CaseFile file;
                try
                {
                    file = CaseFile.Parse(path, await File.ReadAllTextAsync(path, cancellationToken));
                }
                catch (InvalidDataException e)
                {
                    var bad = new CaseResult(Path.GetFileNameWithoutExtension(path), "unknown", [], [], CaseStatus.Error, e.Message, []);
                    results.Add(bad);
                    progress?.Report(bad);
                    continue;
                }

                if (!file.Active)
                {
                    inactive.Add(file.Case);
                    continue;
                }

                var result = await RunCaseAsync(file, rewrite, Path.Combine(work, file.Case), cancellationToken);
                results.Add(result);
                progress?.Report(result);
            }
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        var cases = results.ToImmutable();
        var report = new TestResults(job.Value, executor.Engine, rewrite.Hash, cases,
            cases.Count(c => c.Status == CaseStatus.Passed),
            cases.Count(c => c.Status == CaseStatus.Failed),
            cases.Count(c => c.Status == CaseStatus.ExpectedUnknown),
            cases.Count(c => c.Status == CaseStatus.Error),
            inactive.ToImmutable(),
            await CoverageAsync(tests, cases, cancellationToken));
        await AtomicFile.WriteJsonAsync(Path.Combine(tests, TestResults.FileName), report, cancellationToken);
        return report;
    }

    private async Task<CaseResult> RunCaseAsync(CaseFile file, RewriteFiles rewrite, string work, CancellationToken cancellationToken)
    {
        CaseResult Result(CaseStatus status, string? message, IEnumerable<TargetResult> targets) =>
            new(file.Case, file.Kind, file.Tags, file.RequirementIds, status, message, [.. targets]);

        if (file.Expect.Status == ExpectationStatus.ExpectedUnknown)
        {
            return Result(CaseStatus.ExpectedUnknown, file.Expect.Reason, []);
        }

        var targets = file.Expect.Outputs.Select(o => o.Table).Concat(file.Expect.NotWritten).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (file.Expect.Status == ExpectationStatus.LegacyError)
        {
            // The legacy program fails on these inputs: so must the rewrite, for every target it renders.
            var outcomes = new List<TargetResult>();
            var renderings = targets.Count == 0 ? [file.Job] : targets;
            foreach (var target in renderings)
            {
                var run = await executor.RunAsync(file, target, rewrite, Math.Max(1, targets.Count), Path.Combine(work, Slug(target)), cancellationToken);
                outcomes.Add(run.Error is not null
                    ? new TargetResult(target, CaseStatus.Error, null, null, null, null, null, null, run.Error)
                    : run.RewriteFailure is not null
                        ? new TargetResult(target, CaseStatus.Passed, null, null, null, null, null, null, "the rewrite fails as the legacy program does: " + run.RewriteFailure)
                        : new TargetResult(target, CaseStatus.Failed, null, null, null, null, null, null, "the legacy program fails on these inputs but the rewrite returned rows"));
            }

            return Result(Worst(outcomes), outcomes.FirstOrDefault(o => o.Status != CaseStatus.Passed)?.Message, outcomes);
        }

        var results = new List<TargetResult>();
        foreach (var target in targets)
        {
            var expected = file.Expect.Outputs.FirstOrDefault(o => string.Equals(o.Table, target, StringComparison.OrdinalIgnoreCase));
            var folder = Path.Combine(work, Slug(target));
            var run = await executor.RunAsync(file, target, rewrite, targets.Count, folder, cancellationToken);
            if (run.Error is not null)
            {
                results.Add(new TargetResult(target, CaseStatus.Error, null, expected?.Rows.Length, null, null, null, null, run.Error));
                continue;
            }

            if (run.RewriteFailure is not null)
            {
                results.Add(new TargetResult(target, CaseStatus.Failed, 0, expected?.Rows.Length, null, null, null, null, run.RewriteFailure));
                continue;
            }

            results.Add(await CompareAsync(target, expected, run.ActualParquet!, folder, cancellationToken));
        }

        return Result(Worst(results), results.FirstOrDefault(r => r.Status != CaseStatus.Passed)?.Message, results);
    }

    /// <summary>Exact multiset comparison through the reconciler (keyless mode): every row, every column, equal counts.</summary>
    private static async Task<TargetResult> CompareAsync(string target, CaseTable? expected, string actual, string folder, CancellationToken cancellationToken)
    {
        var sandbox = DuckDbSandboxOptions.ForRoots(folder) with { TempDirectory = folder, Threads = 1, MemoryLimit = "1GB" };
        await using var engine = await DuckDbEngine.OpenAsync(sandbox, cancellationToken);
        var baseline = expected is null
            ? await EmptyLikeAsync(engine, actual, folder, cancellationToken)
            : await CaseTables.ToParquetAsync(engine, expected, Path.Combine(folder, "expected"), "expected.parquet", cancellationToken);
        var verdict = await new Reconciler(engine).ReconcileAsync(
            new ReconcileRequest(new TableRef(baseline), new TableRef(actual), [], ReconcileOptions.Default with { Keyless = true, SampleLimit = 5 }), cancellationToken);
        if (verdict.Status == ReconciliationStatus.Error)
        {
            return new TargetResult(target, CaseStatus.Error, null, expected?.Rows.Length, null, null, null, null, verdict.Error);
        }

        var rows = verdict.Rows;
        var passed = verdict.Status == ReconciliationStatus.Match;
        var message = passed
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{target}: {rows.MissingInCandidate} legacy rows missing, {rows.ExtraInCandidate} extra rows (match rate {verdict.MatchRate:P2})")
                + (verdict.SchemaDiff is { ChangesColumns: true } diff ? "; columns differ: " + string.Join(", ", diff.MissingInCandidate.Concat(diff.ExtraInCandidate)) : string.Empty);
        return new TargetResult(target, passed ? CaseStatus.Passed : CaseStatus.Failed, verdict.MatchRate, rows.Baseline, rows.Candidate, rows.Matched, rows.MissingInCandidate, rows.ExtraInCandidate, message)
        {
            Samples = [.. verdict.Samples.Take(6).Select(s => $"{s.Class}: legacy={s.Baseline?.GetRawText() ?? "-"} rewrite={s.Candidate?.GetRawText() ?? "-"}")],
        };
    }

    /// <summary>A target the legacy program did not write: the expected rows are none, in the rewrite's columns.</summary>
    private static async Task<string> EmptyLikeAsync(IQueryEngine engine, string actual, string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, "expected-empty.parquet");
        await engine.ExecuteAsync($"COPY (SELECT * FROM read_parquet({Modernizer.Specs.Data.SqlText.Path(actual)}) WHERE false) TO {Modernizer.Specs.Data.SqlText.Path(path)} (FORMAT parquet)", null, cancellationToken);
        return path;
    }

    private static CaseStatus Worst(IReadOnlyCollection<TargetResult> results) =>
        results.Any(r => r.Status == CaseStatus.Error) ? CaseStatus.Error
        : results.Any(r => r.Status == CaseStatus.Failed) ? CaseStatus.Failed
        : results.Count == 0 ? CaseStatus.Error : CaseStatus.Passed;

    private static async Task<TestCoverageSummary?> CoverageAsync(string tests, ImmutableArray<CaseResult> cases, CancellationToken cancellationToken)
    {
        var path = Path.Combine(tests, CoverageReport.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        var coverage = await JsonSerializer.DeserializeAsync<CoverageReport>(stream, JsonDefaults.Artifact, cancellationToken);
        return coverage is null
            ? null
            : new TestCoverageSummary(coverage.Goals, coverage.Applicable, coverage.Reached, coverage.Unreached, coverage.ReachedRate, coverage.ExpectedKnown, coverage.ExpectedUnknown,
                [.. cases.SelectMany(c => c.RequirementIds).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                [.. cases.SelectMany(c => c.Tags).Where(t => t.StartsWith("defect:", StringComparison.Ordinal)).Select(t => t["defect:".Length..]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private static string Slug(string text) => string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '_'));
}
