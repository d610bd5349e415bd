using System.Collections.Immutable;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting;

/// <summary>How a rewritten job changes one target table.</summary>
public enum TargetWrite
{
    /// <summary>The table's content becomes <see cref="RewriteTarget.Rows"/>.</summary>
    Overwrite,

    /// <summary><see cref="RewriteTarget.Rows"/> are added to the table's previous content.</summary>
    Append,

    /// <summary><see cref="RewriteTarget.Rows"/> are merged into the previous content (<see cref="RewriteTarget.Merge"/>).</summary>
    Merge,
}

/// <summary>A legacy output check kept as an assertion: the write fails when any written row
/// satisfies <see cref="FailWhen"/> (an expression over the target's columns).</summary>
public sealed record RewriteCheck(string Message, Expr FailWhen, int Line);

/// <summary>A job parameter: a named marker in the Spark SQL, a DuckDB variable, with the legacy default.</summary>
/// <param name="Default">The default as the legacy code or job.yaml gives it (null: no value).</param>
public sealed record RewriteParameter(string Name, SparkType Type, string? Default, string Source);

/// <summary>A choice the rewrite made where the legacy code leaves the meaning open (an undefined
/// row order, the driver's time zone, a parameter's branch taken at its default). Below 80%
/// confidence the alternative is selectable: <see cref="Parameter"/> names the rewrite option
/// that switches it (R4.1).</summary>
public sealed record RewriteAssumption(string Id, string Statement, double Confidence, string? Alternative, string? Parameter, string File, int Line);

/// <summary>A legacy construct and the SQL that replaces it (rewrite.json <c>patterns[]</c>).</summary>
public sealed record LiftedPattern(string Rule, string File, int LineStart, int LineEnd, string Description)
{
    /// <summary>The SQL fragment that replaces the construct (Spark rendering), filled by the renderer.</summary>
    public string Sql { get; init; } = string.Empty;

    /// <summary>The plan expression or operator the fragment is printed from.</summary>
    public object? Fragment { get; init; }
}

/// <summary>One target table of the rewritten job.</summary>
/// <param name="Schema">The legacy output's columns in order, with their types.</param>
/// <param name="Rows">Overwrite: the new content; Append: the added rows; Merge: the source rows.</param>
/// <param name="ReadsItself">The new content depends on the table's previous content (the parallel
/// run gives it the version before the legacy run).</param>
public sealed record RewriteTarget(TableName Table, Schema Schema, TargetWrite Write, PlanNode Rows)
{
    public MergeSpec? Merge { get; init; }

    public ImmutableArray<string> PartitionBy { get; init; } = [];

    public bool ReadsItself { get; init; }

    public ImmutableArray<RewriteCheck> Checks { get; init; } = [];

    /// <summary>Where the legacy code writes it.</summary>
    public int Line { get; init; }

    public string Name => Table.ToString();
}

/// <summary>The rewritten job: what every target becomes, from which inputs, under which parameters
/// and assumptions. Renderers turn it into Spark SQL (the deliverable) and DuckDB SQL (local
/// validation); both print the same plans.</summary>
public sealed record JobProgram(string JobId, ImmutableArray<RewriteTarget> Targets)
{
    public ImmutableArray<RewriteParameter> Parameters { get; init; } = [];

    public ImmutableArray<RewriteAssumption> Assumptions { get; init; } = [];

    public ImmutableArray<LiftedPattern> Patterns { get; init; } = [];

    /// <summary>Named intermediate results the targets share (rendered once as temporary views).</summary>
    public ImmutableArray<(string Name, PlanNode Plan)> Views { get; init; } = [];

    /// <summary>The legacy session time zone the date/time expressions assume.</summary>
    public string SessionTimeZone { get; init; } = "UTC";

    /// <summary>Tables the job reads (its own targets included when it reads them back).</summary>
    public ImmutableArray<string> Inputs => [.. Targets.SelectMany(t => ScannedTables(t.Rows))
        .Concat(Views.SelectMany(v => ScannedTables(v.Plan)))
        .Concat(Targets.Where(t => t.ReadsItself).Select(t => t.Name))
        .Where(t => !Views.Any(v => string.Equals(v.Name, t, StringComparison.OrdinalIgnoreCase)))
        .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)];

    private static IEnumerable<string> ScannedTables(PlanNode plan)
    {
        var tables = new List<string>();
        void Visit(PlanNode node)
        {
            PlanTree.Walk(node, n =>
            {
                if (n is Scan scan)
                {
                    tables.Add(scan.Table.ToString());
                }

                foreach (var expr in PlanExpressions.Of(n))
                {
                    foreach (var subquery in ExprTree.Descendants(expr).Prepend(expr).OfType<PlanSubquery>())
                    {
                        Visit(subquery.Plan);
                    }
                }
            });
        }

        Visit(plan);
        return tables;
    }
}
