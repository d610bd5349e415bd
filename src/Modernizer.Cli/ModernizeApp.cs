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
        });
        return await app.RunAsync(args);
    }
}
