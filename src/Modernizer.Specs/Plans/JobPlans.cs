using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Modernizer.Code.Analysis;
using Modernizer.Code.Notebooks;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Specs.Plans;

/// <summary>A root of the job's plan (a write, a loop) and the file it was written in.</summary>
public sealed record RootPlan(PlanNode Plan, string File);

/// <summary>The job's plans as the tier 2-3 engines read them: the code analysis's plans, completed
/// where the analysis left Spark SQL opaque: a <c>.sql</c> file or a notebook's <c>%sql</c> cells are
/// planned here (widget references <c>${name}</c> bound to the job's parameter defaults), and temp
/// views they define are expanded where the Python code scans them.</summary>
public sealed partial record JobPlans(ImmutableArray<RootPlan> Roots, ImmutableArray<string> Notes)
{
    public static JobPlans Build(JobAnalysis analysis, string jobFolder, ISchemaProvider? schemas, IReadOnlyDictionary<string, string?> parameters)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var notes = ImmutableArray.CreateBuilder<string>();
        var planner = new SqlToPlan(schemas);
        var sqlWrites = new List<RootPlan>();
        foreach (var file in analysis.Files)
        {
            var path = Path.Combine(jobFolder, file);
            if (!File.Exists(path))
            {
                continue;
            }

            var notebook = NotebookReader.Read(file, File.ReadAllText(path));
            foreach (var cell in notebook.Cells.Where(c => c.Language == CellLanguage.Sql))
            {
                try
                {
                    foreach (var statement in planner.PlanScript(Bind(cell.Text, parameters)))
                    {
                        var shifted = Shift(statement.Plan, cell.FirstLine - 1);
                        if (shifted is Write)
                        {
                            sqlWrites.Add(new RootPlan(shifted, file));
                        }
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    notes.Add($"{file}:{cell.FirstLine}: Spark SQL not planned ({e.Message})");
                }
            }
        }

        var writtenBySql = sqlWrites.Select(w => ((Write)w.Plan).Target.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var roots = ImmutableArray.CreateBuilder<RootPlan>();
        foreach (var plan in analysis.Plans)
        {
            if (plan is Write write && writtenBySql.Contains(write.Target.ToString()) && PlanTree.Nodes(plan).Any(n => n is Opaque o && o.Reason.StartsWith("SQL", StringComparison.Ordinal)))
            {
                continue;
            }

            roots.Add(new RootPlan(ExpandViews(plan, planner.Views), FileOf(plan, analysis)));
        }

        roots.AddRange(sqlWrites);
        return new JobPlans(roots.ToImmutable(), notes.ToImmutable());
    }

    /// <summary>Every node of every root once (shared subtrees appear in several roots), with its root's file.</summary>
    public IEnumerable<(PlanNode Node, string File, ImmutableArray<string> Targets)> Nodes()
    {
        var seen = new HashSet<PlanNode>(ReferenceEqualityComparer.Instance);
        foreach (var root in Roots)
        {
            var targets = PlanTree.Nodes(root.Plan).OfType<Write>().Select(w => w.Target.ToString().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToImmutableArray();
            foreach (var node in PlanTree.Nodes(root.Plan))
            {
                if (seen.Add(node))
                {
                    yield return (node, root.File, targets);
                }
            }
        }
    }

    private static string Bind(string sql, IReadOnlyDictionary<string, string?> parameters) =>
        Widget().Replace(sql, m => parameters.TryGetValue(m.Groups[1].Value, out var value) && value is not null ? value : m.Value);

    /// <summary>Moves spans from cell lines to file lines. Spans are metadata (left out of node equality),
    /// so the tree is rebuilt by hand rather than through a transform that keeps "equal" nodes.</summary>
    private static PlanNode Shift(PlanNode plan, int lines)
    {
        if (lines == 0)
        {
            return plan;
        }

        var children = plan.Children.Select(c => Shift(c, lines)).ToEquatableArray();
        var rebuilt = children.Count == 0 ? plan : plan.WithChildren(children);
        return plan.Span.IsKnown ? rebuilt with { Span = plan.Span with { Line = plan.Span.Line + lines } } : rebuilt;
    }

    private static PlanNode ExpandViews(PlanNode plan, IReadOnlyDictionary<string, PlanNode> views) =>
        views.Count == 0
            ? plan
            : PlanTree.TransformUp(plan, n => n is Scan scan && scan.Table.Parts.Count == 1 && views.TryGetValue(scan.Table.Name, out var view)
                ? new SubqueryAlias(view is DefineView define ? define.Input : view, scan.Table.Name) { Span = scan.Span }
                : null).Value;

    /// <summary>The file a root comes from: named by a loop or an opaque span inside it, else the job's first file.</summary>
    private static string FileOf(PlanNode plan, JobAnalysis analysis)
    {
        foreach (var node in PlanTree.Nodes(plan))
        {
            if (node is Loop { File: { } file })
            {
                return file;
            }

            if (node is Opaque { Text: { } text } && SpanText().Match(text) is { Success: true } match && analysis.Files.Contains(match.Groups[1].Value))
            {
                return match.Groups[1].Value;
            }
        }

        return analysis.Files.FirstOrDefault(f => f.EndsWith(".py", StringComparison.OrdinalIgnoreCase)) ?? analysis.Files.FirstOrDefault() ?? string.Empty;
    }

    [GeneratedRegex(@"\$\{(\w+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Widget();

    [GeneratedRegex(@"^([^:\s]+\.(?:py|sql|ipynb)):\d+", RegexOptions.CultureInvariant)]
    private static partial Regex SpanText();
}
