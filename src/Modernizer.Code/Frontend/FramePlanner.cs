using System.Collections.Immutable;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Frontend;

/// <summary>Builds the shared logical plan (Plan/) from what the PySpark frontend tracked: one
/// <see cref="Write"/> per write, one <see cref="Loop"/> per loop over collected rows (and per loop over a Python list whose body does Spark work). Expressions
/// go through the Spark SQL parser; SQL text through <see cref="SqlToPlan"/>. What cannot be
/// expressed becomes an <see cref="Opaque"/> node with its line and the reason.</summary>
internal sealed class FramePlanner
{
    private readonly Dictionary<int, PlanNode> _built = [];
    private readonly string _file;
    private readonly ISchemaProvider? _schemas;

    public FramePlanner(string file, ISchemaProvider? schemas = null)
    {
        _file = file;
        _schemas = schemas;
    }

    /// <summary>One plan per write and per row loop, in code order. Scans carry the provider's
    /// schema when it knows the table. A loop's <see cref="Loop.BodyPlans"/> are the plans of what
    /// its body does per row (writes, spark.sql statements, DataFrame actions), or one Opaque for
    /// a body of Python-only logic, so a set-based rewrite can lift them (P2).</summary>
    public static ImmutableArray<PlanNode> Build(IReadOnlyList<Fact> facts, ISchemaProvider? schemas = null)
    {
        var plans = ImmutableArray.CreateBuilder<PlanNode>();
        var index = new LoopBodyIndex(facts);
        var loopLines = new HashSet<int>();
        foreach (var fact in facts)
        {
            // A loop in a helper called several times is one fact per call; its plan is built once
            // (plans are distinct by kind and line below).
            if (fact is LoopFact && loopLines.Contains(fact.Line))
            {
                continue;
            }

            var builder = new FramePlanner(fact.File, schemas);
            switch (fact)
            {
                case WriteFact { Frame: not null } write:
                    plans.Add(builder.WritePlan(write));
                    break;
                case LoopFact { Kind: LoopKind.Rows, Source: not null } loop:
                    plans.Add(new Loop(builder.Node(loop.Source), "row", new SourceSpan(loop.Line + 1, 1, 0, 0))
                    {
                        File = loop.File,
                        Span = Span(loop.Line),
                        BodyPlans = builder.BodyPlans(loop, index),
                    });
                    loopLines.Add(loop.Line);
                    break;
                case LoopFact { Kind: LoopKind.Literal or LoopKind.Other } loop when builder.BodyPlans(loop, index) is { } body && body.Items.Any(b => b is not Opaque { Inputs.Count: 0 }):
                    // Spark work repeated per item of a Python list: the items are the loop's (opaque) source.
                    plans.Add(new Loop(new Opaque([], Span(loop.Line), "items of " + loop.Origin) { Text = loop.File + ":" + loop.Line, Span = Span(loop.Line) }, "item", new SourceSpan(loop.Line + 1, 1, 0, 0))
                    {
                        File = loop.File,
                        Span = Span(loop.Line),
                        BodyPlans = body,
                    });
                    loopLines.Add(loop.Line);
                    break;
            }
        }

        return [.. plans.DistinctBy(p => (p.GetType(), p.Span.Line, (p as Write)?.Target.Key))];
    }

    private Write WritePlan(WriteFact write) =>
        new(Node(write.Frame!), Name(write.Table), Mode(write))
        {
            Format = write.Format,
            PartitionColumns = [.. write.PartitionBy],
            CreatesTable = write.Method is "saveAsTable" or "sql_create_table_as",
            Span = Span(write.Line),
        };

    private EquatableArray<PlanNode> BodyPlans(LoopFact loop, LoopBodyIndex index)
    {
        var body = ImmutableArray.CreateBuilder<PlanNode>();
        var inBody = index.BodyOf(loop);
        var writeLines = inBody.OfType<WriteFact>().Where(w => w.Frame is not null).Select(w => w.Line).ToHashSet();
        var seen = new HashSet<(string File, int Line, string Kind)>();
        foreach (var fact in inBody)
        {
            var node = fact switch
            {
                WriteFact { Frame: not null } write => WritePlan(write),
                SqlFact sql when writeLines.Contains(sql.Line) => null,
                SqlFact sql => SqlStatement(sql),
                ActionFact action => new Opaque([Node(action.Frame)], Span(action.Line), "action " + action.Action + " per row") { Text = _file + ":" + action.Line, Span = Span(action.Line) },
                _ => null,
            };
            if (node is not null && seen.Add((fact.File, fact.Line, node.GetType().Name)))
            {
                body.Add(node);
            }
        }

        if (body.Count == 0)
        {
            // A one-line loop (`for r in rows: f(r)`) has its body on the loop's own line.
            var from = loop.EndLine > loop.Line ? loop.Line + 1 : loop.Line;
            var to = Math.Max(from, loop.EndLine);
            body.Add(new Opaque([], Span(from), "Python-only logic per row") { Text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{_file}:{from}-{to}"), Span = Span(from) });
        }

        return body.ToImmutable().ToEquatableArray();
    }

    /// <summary>A spark.sql statement in a loop body that is not a write (those come as WriteFacts).</summary>
    private PlanNode? SqlStatement(SqlFact sql)
    {
        // Values interpolated per row become named parameters, what a lifted plan would bind or join on.
        var text = sql.Text.Render("${{{0}}}");
        try
        {
            var planned = new SqlToPlan(_schemas).PlanScript(text);
            return planned.LastOrDefault()?.Plan is { } plan ? plan with { Span = Span(sql.Line) } : new Opaque([], Span(sql.Line), "spark.sql without a statement") { Text = _file + ":" + sql.Line, Span = Span(sql.Line) };
        }
        catch (Exception error) when (error is SqlSyntaxException or InvalidOperationException or ArgumentException)
        {
            return new Opaque([], Span(sql.Line), "spark.sql not expressible as a plan: " + error.Message) { Text = _file + ":" + sql.Line, Span = Span(sql.Line) };
        }
    }

    /// <summary>Plans deeper than this many operators are cut: the part below becomes one Opaque
    /// node over the tables it reads. A 10,000-step withColumn chain is otherwise a 10,000-deep
    /// tree that every consumer (printer, emitter, rewriter) would have to walk.</summary>
    internal const int MaxPlanDepth = 500;

    private readonly Dictionary<int, int> _depth = [];

    /// <summary>The plan of a frame, built bottom-up without recursion (frames form a DAG as deep
    /// as the code's chain of DataFrame steps).</summary>
    private PlanNode Node(DataFrameValue frame)
    {
        if (_built.TryGetValue(frame.Id, out var cached))
        {
            return cached;
        }

        var stack = new Stack<(DataFrameValue Frame, bool Expanded)>();
        stack.Push((frame, false));
        while (stack.Count > 0)
        {
            var (current, expanded) = stack.Pop();
            if (_built.ContainsKey(current.Id))
            {
                continue;
            }

            if (!expanded)
            {
                stack.Push((current, true));
                foreach (var input in current.Inputs.Where(i => !_built.ContainsKey(i.Id)))
                {
                    stack.Push((input, false));
                }

                continue;
            }

            var depth = 1 + current.Inputs.Select(i => _depth.GetValueOrDefault(i.Id)).DefaultIfEmpty(0).Max();
            PlanNode node;
            if (depth > MaxPlanDepth)
            {
                node = new Opaque([.. LeafScans(current)], Span(current.Line), $"a chain of more than {MaxPlanDepth} DataFrame steps; the steps below this one are not planned") { Text = _file + ":" + current.Line };
                depth = 2;
            }
            else
            {
                try
                {
                    node = Convert(current);
                }
                catch (Exception error) when (error is SqlSyntaxException or InvalidOperationException or ArgumentException)
                {
                    node = Opaque(current, "not expressible as a plan: " + error.Message);
                }
            }

            _depth[current.Id] = depth;
            _built[current.Id] = node;
        }

        return _built[frame.Id];
    }

    /// <summary>The scans under a frame (already planned), stopping at cut points.</summary>
    private IEnumerable<PlanNode> LeafScans(DataFrameValue frame)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<DataFrameValue>(frame.Inputs);
        var leaves = new List<PlanNode>();
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            if (!seen.Add(current.Id) || !_built.TryGetValue(current.Id, out var built))
            {
                continue;
            }

            if (built is Scan || current.Inputs.IsEmpty)
            {
                leaves.Add(built);
            }
            else if (built is Opaque cut && _depth.GetValueOrDefault(current.Id) == 2)
            {
                leaves.AddRange(cut.Inputs);
            }
            else
            {
                foreach (var input in current.Inputs)
                {
                    stack.Push(input);
                }
            }
        }

        // Reference identity, never record equality: a record compares (and hashes) its whole subtree.
        var tables = new HashSet<string>(StringComparer.Ordinal);
        var nodes = new HashSet<object>(ReferenceEqualityComparer.Instance);
        return leaves.Where(l => l is Scan scan ? tables.Add(scan.Table.Key) : nodes.Add(l)).ToList();
    }

    private PlanNode Convert(DataFrameValue frame)
    {
        var step = frame.Step;
        var input = frame.Inputs.IsEmpty ? null : Node(frame.Inputs[0]);
        return step?.Kind switch
        {
            "scan" => new Scan(Name(step.Table!), _schemas.SchemaOf(step.Table!) ?? Schema.Unknown) { Span = Span(frame.Line) },
            "filter" when input is not null => new Filter(input, Expression(step.Condition!)) { Span = Span(frame.Line) },
            "project" when input is not null => new Project(input, [.. step.Expressions.Select(Expression)]) { Span = Span(frame.Line) },
            "with_columns" when input is not null => new Project(input, [Star.All, .. step.Expressions.Select(Expression)]) { Span = Span(frame.Line) },
            "aggregate" when input is not null => new Aggregate(input, [.. step.Keys.Select(Expression)], [.. step.Expressions.Select(Expression)]) { Span = Span(frame.Line) },
            "join" when input is not null && frame.Inputs.Length > 1 => new Join(input, Node(frame.Inputs[1]), JoinType(step.JoinType), step.Condition is null ? null : Expression(step.Condition))
            {
                Using = [.. step.Keys],
                Span = Span(frame.Line),
            },
            "union" when input is not null && frame.Inputs.Length > 1 => new Union(input, Node(frame.Inputs[1]), All: true) { Span = Span(frame.Line) },
            "distinct" when input is not null => new Distinct(input) { Columns = [.. step.Keys], Span = Span(frame.Line) },
            "sort" when input is not null => new Sort(input, [.. step.Expressions.Select(SortItem)]) { Span = Span(frame.Line) },
            "limit" when input is not null => new Limit(input, Expression(step.Condition ?? "0")) { Span = Span(frame.Line) },
            "drop" or "rename" when input is not null => new Opaque([input], Span(frame.Line), frame.Operator),
            "sql" => Sql(frame, step.Condition!),
            "driver" => Opaque(frame, "rows built in Python from collected data (createDataFrame)"),
            _ => Opaque(frame, frame.Operator),
        };
    }

    private PlanNode Sql(DataFrameValue frame, string sql)
    {
        var planner = new SqlToPlan(_schemas);
        var planned = planner.PlanScript(sql);
        var query = planned.LastOrDefault(p => p.Syntax is QueryStatement) ?? planned.LastOrDefault();
        return query?.Plan ?? Opaque(frame, "SQL without a query");
    }

    private Opaque Opaque(DataFrameValue frame, string reason) =>
        new([.. frame.Inputs.Select(Node)], Span(frame.Line), reason) { Text = _file + ":" + frame.Line };

    private static Expr Expression(string sql)
    {
        var text = sql.Replace(":param", "${param}", StringComparison.Ordinal);
        var alias = text.LastIndexOf(" AS ", StringComparison.Ordinal);
        if (alias > 0 && text[(alias + 4)..].All(c => char.IsLetterOrDigit(c) || c == '_'))
        {
            return new Alias(SparkSqlParser.ParseExpression(text[..alias]), text[(alias + 4)..]);
        }

        return SparkSqlParser.ParseExpression(text);
    }

    private static Sql.Syntax.SortItem SortItem(string sql)
    {
        var descending = sql.EndsWith(" DESC", StringComparison.Ordinal);
        var body = descending ? sql[..^5] : sql.EndsWith(" ASC", StringComparison.Ordinal) ? sql[..^4] : sql;
        return new Sql.Syntax.SortItem(Expression(body), descending ? SortDirection.Descending : SortDirection.Ascending);
    }

    private static TableName Name(string table) => TableName.Of(table.Split('.'));

    private static SourceSpan Span(int line) => new(line, 1, 0, 0);

    private static Plan.JoinType JoinType(string? type) => type switch
    {
        "left" => Plan.JoinType.LeftOuter,
        "right" => Plan.JoinType.RightOuter,
        "full" => Plan.JoinType.FullOuter,
        "cross" => Plan.JoinType.Cross,
        "left_semi" => Plan.JoinType.LeftSemi,
        "left_anti" => Plan.JoinType.LeftAnti,
        _ => Plan.JoinType.Inner,
    };

    private static WriteMode Mode(WriteFact write) => write.Mode switch
    {
        "overwrite" => WriteMode.Overwrite,
        "append" or "insert_into" => WriteMode.Append,
        "merge" => WriteMode.Merge,
        "update" => WriteMode.Update,
        "delete" => WriteMode.Delete,
        "ignore" => WriteMode.Ignore,
        _ => WriteMode.ErrorIfExists,
    };

    /// <summary>Facts by file and line, and by the row loop they were stamped with, so each loop
    /// finds its body's facts without rescanning the job's facts.</summary>
    private sealed class LoopBodyIndex
    {
        private readonly IReadOnlyList<Fact> _facts;
        private readonly Dictionary<string, (int Line, int Index)[]> _byFile;
        private readonly Dictionary<(int Line, int EndLine), List<int>> _byRowLoop = [];

        public LoopBodyIndex(IReadOnlyList<Fact> facts)
        {
            _facts = facts;
            var byFile = new Dictionary<string, List<(int Line, int Index)>>(StringComparer.Ordinal);
            for (var i = 0; i < facts.Count; i++)
            {
                var fact = facts[i];
                if (!byFile.TryGetValue(fact.File, out var list))
                {
                    byFile[fact.File] = list = [];
                }

                list.Add((fact.Line, i));
                foreach (var loop in fact.Loops.Where(l => l.Kind == LoopKind.Rows).Select(l => (l.Line, l.EndLine)).Distinct())
                {
                    if (!_byRowLoop.TryGetValue(loop, out var stamped))
                    {
                        _byRowLoop[loop] = stamped = [];
                    }

                    stamped.Add(i);
                }
            }

            _byFile = byFile.ToDictionary(f => f.Key, f => f.Value.OrderBy(e => e.Line).ThenBy(e => e.Index).ToArray(), StringComparer.Ordinal);
        }

        /// <summary>Facts on the loop's body lines, and facts of helpers called from the body
        /// (stamped with this loop), in the order the frontend recorded them.</summary>
        public Fact[] BodyOf(LoopFact loop)
        {
            var indices = new SortedSet<int>();
            if (_byFile.TryGetValue(loop.File, out var lines))
            {
                var low = 0;
                var high = lines.Length;
                while (low < high)
                {
                    var mid = (low + high) / 2;
                    if (lines[mid].Line <= loop.Line)
                    {
                        low = mid + 1;
                    }
                    else
                    {
                        high = mid;
                    }
                }

                for (var i = low; i < lines.Length && lines[i].Line <= loop.EndLine; i++)
                {
                    indices.Add(lines[i].Index);
                }
            }

            if (loop.Kind == LoopKind.Rows && _byRowLoop.TryGetValue((loop.Line, loop.EndLine), out var stamped))
            {
                indices.UnionWith(stamped);
            }

            return [.. indices.Select(i => _facts[i])];
        }
    }
}
