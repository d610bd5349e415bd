using Modernizer.Cli.Commands.Reconcile;
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
            config.AddCommand<ReconcileCommand>("reconcile").WithDescription("Reconcile a candidate table against its baseline (exact, multiset, per-column evidence). Exit 0 match, 1 mismatch, 2 error.").WithExample("reconcile", "--baseline", "legacy_out", "--candidate", "new_out", "--key", "order_id", "--json", "reconciliation.json", "--html", "reconciliation.html");
            config.AddCommand<Commands.Profile.ProfileCommand>("profile").WithDescription("Profile a Delta or Parquet table: counts, nulls, distincts, ranges, quantiles, top values (R2.2).").WithExample("profile", "lake/sales/orders", "--version", "3", "--json", "profile.json");
            config.AddCommand<Commands.Sample.SampleCommand>("sample")
                .WithDescription("Write the retail sample workspace (jobs, catalog, finops, Delta lake, answer key); --jobs/--days for a portfolio of any size.")
                .WithExample("sample", "./retail")
                .WithExample("sample", "./bench", "--jobs", "10000", "--days", "365");
        });
        return await app.RunAsync(args);
    }
}
