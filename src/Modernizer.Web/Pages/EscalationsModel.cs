using System.Collections.Immutable;
using Modernizer.Pipeline.Decisions;
using Modernizer.Pipeline.State;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Pages;

/// <summary>The escalation inbox (X3): open escalations first (oldest first: they have waited
/// longest), then the closed ones with who decided and why.</summary>
public sealed record EscalationsModel(ImmutableArray<EscalationView> Open, ImmutableArray<EscalationView> Closed)
{
    public static async Task<EscalationsModel> BuildAsync(DashboardWorkspace workspace, CancellationToken cancellationToken)
    {
        var all = await workspace.EscalationsAsync(cancellationToken);
        return new EscalationsModel(
            [.. all.Where(e => e.Status == EscalationStatus.Open).OrderBy(e => e.OpenedAt, StringComparer.Ordinal).Select(EscalationView.From)],
            [.. all.Where(e => e.Status != EscalationStatus.Open).OrderByDescending(e => e.ClosedAt, StringComparer.Ordinal).Select(EscalationView.From)]);
    }
}
