namespace Modernizer.Cli.Composition;

/// <summary>The one place where role implementations join the <c>modernize</c> command: each area
/// adds its roles here, e.g. <c>registry.Add(RoleId.PortfolioScanner, c =&gt; new ScanStage(c.Settings));</c>.
/// Roles not added are shown as "not available" by <c>modernize status</c> and never faked.</summary>
public static class RoleRegistrations
{
    public static StageWorkRegistry CreateDefault()
    {
        var registry = new StageWorkRegistry();
        return registry;
    }
}
