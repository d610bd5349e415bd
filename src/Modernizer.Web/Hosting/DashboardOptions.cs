using Modernizer.Web.Security;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Hosting;

/// <summary>What one dashboard serves: a workspace (its store opened by the caller), the accounts,
/// the configuration, and where it listens.</summary>
public sealed record DashboardOptions(DashboardWorkspace Workspace, LocalAccounts Accounts, DashboardSettings Settings, TimeProvider Clock)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>How often the live kanban looks for changes made by other processes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);
}
