namespace Modernizer.Cli.Infrastructure;

/// <summary>The exit codes of every command (docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>Done, nothing to report.</summary>
    public const int Ok = 0;

    /// <summary>Findings: a mismatch, a broken chain, jobs waiting on escalations or failed.</summary>
    public const int Findings = 1;

    /// <summary>An error: bad configuration, bad arguments, a failure of the tool itself.</summary>
    public const int Error = 2;

    /// <summary>Cancelled by Ctrl+C (SIGINT): 128 + 2, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Cancelled by SIGTERM: 128 + 15.</summary>
    public const int Terminated = 143;
}
