using System.Globalization;

namespace Modernizer.Samples.Generation;

/// <summary>Writes catalog/ and finops/ (docs/sample.md) with the set-based script sql/catalog.sql.</summary>
internal static class CatalogGenerator
{
    public const string EndDate = "2026-10-31";

    public static SqlScript Script(string workspace, SampleOptions options) =>
        SqlScript.Load("catalog", new Dictionary<string, string>
        {
            ["seed"] = options.Seed.ToString(CultureInfo.InvariantCulture),
            ["catalog_jobs"] = options.CatalogOnlyJobs.ToString(CultureInfo.InvariantCulture),
            ["days"] = options.Days.ToString(CultureInfo.InvariantCulture),
            ["end_date"] = EndDate,
            ["code_share"] = options.EffectiveCodeShare.ToString("0.0####", CultureInfo.InvariantCulture),
            ["out"] = SqlScript.PathToken(workspace),
        });

    public static void CreateFolders(string workspace)
    {
        foreach (var folder in new[] { "catalog/lakeflow", "catalog/lineage", "catalog/airflow", "finops/billing/usage" })
        {
            Directory.CreateDirectory(Path.Combine(workspace, folder));
        }
    }
}
