using System.Collections.Immutable;
using Modernizer.Domain.Workspace;
using Modernizer.Lake.Engines;
using Modernizer.Portfolio.FinOps;

namespace Modernizer.Portfolio.Ingestion;

/// <summary>What loading the workspace put into the engine.</summary>
internal sealed record LoadedPortfolio(ImmutableArray<JobManifest> Manifests, IngestionReport Ingestion, ImmutableHashSet<string> PresentExports);

/// <summary>Stages every catalog and finops export of a workspace and builds the unified model
/// (pf_jobs, pf_runs, pf_edges, pf_inventory_ids, pf_ticket_links, pf_sla_runs) in the engine.
/// Billing usage is staged separately by the FinOps analyst: only it reads it.</summary>
internal static class CatalogLoader
{
    private static readonly ExportSpec[] Catalog =
    [
        ExportSpecs.SimpleJobs, ExportSpecs.SimpleRuns, ExportSpecs.LakeflowJobs, ExportSpecs.LakeflowRuns, ExportSpecs.LakeflowTasks,
        ExportSpecs.LakeflowRunStats, ExportSpecs.TableLineage, ExportSpecs.AirflowDags, ExportSpecs.AirflowDagRuns,
        ExportSpecs.AirflowTaskInstances, ExportSpecs.Tickets, ExportSpecs.Slas,
    ];

    public static async Task<LoadedPortfolio> LoadAsync(IQueryEngine engine, WorkspacePaths workspace, PortfolioOptions options, CancellationToken cancellationToken)
    {
        var stager = new ExportStager(engine, workspace.Root);
        await stager.InitializeAsync(cancellationToken);
        var present = ImmutableHashSet.CreateBuilder<string>();
        foreach (var spec in Catalog)
        {
            if (await stager.StageAsync(spec, cancellationToken))
            {
                present.Add(spec.Table);
            }
        }

        var (manifests, manifestProblems) = await JobManifestReader.ReadAsync(workspace, cancellationToken);
        await CatalogModel.BuildAsync(engine, manifests, cancellationToken);
        await engine.ExecuteAsync(InventoryIds, null, cancellationToken);
        await engine.ExecuteAsync(IncidentSql.TicketLinks, [Sql.P("min_len", options.MinNameLengthForTextMatch)], cancellationToken);
        await engine.ExecuteAsync(IncidentSql.SlaRuns, null, cancellationToken);
        var report = await stager.ReportAsync(options.MaxListedBadRows, cancellationToken);
        report = report with
        {
            BadRowCount = report.BadRowCount + manifestProblems.Length,
            BadRows = [.. report.BadRows, .. manifestProblems],
        };
        return new LoadedPortfolio(manifests, report, present.ToImmutable());
    }

    /// <summary>The inventory's jobs: every job a catalog form or a job folder names, plus every job
    /// seen only in run logs; jobs whose latest Lakeflow row is deleted are left out.</summary>
    private const string InventoryIds = """
        CREATE OR REPLACE TEMP TABLE pf_inventory_ids AS
        SELECT job_id FROM pf_jobs WHERE NOT coalesce(deleted_in_catalog, false)
        UNION
        SELECT DISTINCT job_id FROM pf_runs WHERE job_id NOT IN (SELECT job_id FROM pf_jobs WHERE coalesce(deleted_in_catalog, false))
        """;
}
