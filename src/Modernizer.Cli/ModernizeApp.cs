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
            config.AddCommand<Commands.Profile.ProfileCommand>("profile").WithDescription("Profile a Delta or Parquet table: counts, nulls, distincts, ranges, quantiles, top values (R2.2).").WithExample("profile", "lake/sales/orders", "--version", "3", "--json", "profile.json");
        });
        return await app.RunAsync(args);
    }
}
