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
            config.AddCommand<Commands.Sample.SampleCommand>("sample")
                .WithDescription("Write the retail sample workspace (jobs, catalog, finops, Delta lake, answer key); --jobs/--days for a portfolio of any size.")
                .WithExample("sample", "./retail")
                .WithExample("sample", "./bench", "--jobs", "10000", "--days", "365");
            config.AddCommand<Commands.Portfolio.InventoryCommand>("inventory")
                .WithDescription("Print the job inventory (R1.1) from .modernize/portfolio/, running tier 1 first when it is missing.")
                .WithExample("inventory", "--workspace", "./retail")
                .WithExample("inventory", "-w", "./retail", "--json", "inventory.json", "--limit", "50");
            config.AddCommand<Commands.Portfolio.BacklogCommand>("backlog")
                .WithDescription("Print the prioritized rewrite backlog (R1.3) with factor scores and justifications, running tier 1 first when it is missing.")
                .WithExample("backlog", "--workspace", "./retail")
                .WithExample("backlog", "-w", "./retail", "--refresh", "--json", "backlog.json");
        });
        return await app.RunAsync(args);
    }
}
