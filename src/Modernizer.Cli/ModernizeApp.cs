using Spectre.Console.Cli;

namespace Modernizer.Cli;

/// <summary>Builds the <c>modernize</c> command tree. Each area registers its commands here.</summary>
public static class ModernizeApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("modernize");
            config.PropagateExceptions();
            config.AddCommand<Commands.Analyze.AnalyzeCommand>("analyze").WithDescription("Code analysis of legacy PySpark, notebooks and Spark SQL: lineage, anti-patterns, suspected defects, assumptions (R2.1).").WithExample("analyze", "samples/retail/jobs/orders_daily_revenue", "--json", "analysis.json");
            config.AddCommand<Commands.Sample.SampleCommand>("sample")
                .WithDescription("Write the retail sample workspace (jobs, catalog, finops, Delta lake, answer key); --jobs/--days for a portfolio of any size.")
                .WithExample("sample", "./retail")
                .WithExample("sample", "./bench", "--jobs", "10000", "--days", "365");
        });
        return await app.RunAsync(args);
    }
}
