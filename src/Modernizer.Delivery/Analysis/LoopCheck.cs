using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Analysis;
using Modernizer.Delivery.Rewrites;

namespace Modernizer.Delivery.Analysis;

/// <summary>P2 re-checked on the delivered code: the code plane's analyzer runs again on the rewrite's
/// Spark SQL and any Python driver, and any iterative-processing finding (loops over rows, row-by-row
/// UDFs, driver collects, RDD code) blocks. The Code Writer's own <c>loops_after</c> must be zero too.</summary>
public static class LoopCheck
{
    public const string Tool = "modernizer-loops";

    /// <summary>Rule ids of the catalog that mean "iterative processing" (docs/rules.md).</summary>
    public static ImmutableHashSet<string> IterativeRules { get; } =
        ImmutableHashSet.Create(StringComparer.Ordinal, "ITR01", "ITR02", "ITR03", "ITR04", "ITR05", "DRV01", "UDF01", "UDF02", "RDD01");

    public static async Task<(ImmutableArray<Finding> Findings, ToolRun Run)> RunAsync(RewriteManifest rewrite, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        var findings = ImmutableArray.CreateBuilder<Finding>();
        if (rewrite.LoopsAfter is > 0)
        {
            findings.Add(new Finding(Tool, "P2", Severity.Error, "rewrite.json", null,
                string.Create(CultureInfo.InvariantCulture, $"the Code Writer reports {rewrite.LoopsAfter} loop(s) over rows left: the rewrite must have none")));
        }

        // Only the deliverables: the DuckDB renderings are local validation aids, not shipped.
        var folder = Directory.CreateTempSubdirectory("modernize-loops-").FullName;
        try
        {
            var job = Path.Combine(folder, rewrite.Job.Value);
            Directory.CreateDirectory(job);
            foreach (var file in new[] { rewrite.Layout.SparkSql }.Concat(rewrite.PythonDrivers))
            {
                File.Copy(file, Path.Combine(job, Path.GetFileName(file)));
            }

            var analysis = await new JobAnalyzer().AnalyzeAsync(JobSource.FromFolder(job), cancellationToken).ConfigureAwait(false);
            foreach (var pattern in analysis.AntiPatterns.Where(p => IterativeRules.Contains(p.RuleId)))
            {
                findings.Add(new Finding(Tool, pattern.RuleId, Severity.Error, Path.GetFileName(pattern.File), pattern.Line,
                    $"iterative processing in the rewrite (P2): {pattern.Message}"));
            }

            return (findings.ToImmutable(), new ToolRun(Tool, "ran", null, string.Create(CultureInfo.InvariantCulture, $"{analysis.AntiPatterns.Length} anti-pattern finding(s) in the re-analysis")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
