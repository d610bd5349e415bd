using System.Collections.Immutable;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Plan;

/// <summary>A problem met while planning (unresolvable or ambiguous name); planning goes on.</summary>
public sealed record PlanningDiagnostic(string Message, SourceSpan Span);

/// <summary>One statement and its plan.</summary>
public sealed record PlannedStatement(Statement Syntax, PlanNode Plan);

/// <summary>SQL → logical plan (R2.1). Resolves names with scopes (CTEs, aliases, correlated
/// subqueries), reads base table schemas from the <see cref="ISchemaProvider"/>, expands
/// <c>SELECT *</c> when schemas are known, and keeps a catalog of temp views registered by earlier
/// statements of the same job. One instance per job: views accumulate across calls.</summary>
public sealed partial class SqlToPlan
{
    private readonly ISchemaProvider? schemas;
    private readonly Dictionary<string, PlanNode> views = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<PlanningDiagnostic> diagnostics = [];
    private readonly Stack<Dictionary<string, (PlanNode Plan, EquatableArray<string> Columns)>> ctes = new();
    private int generatedNames;

    public SqlToPlan(ISchemaProvider? schemas = null) => this.schemas = schemas;

    /// <summary>Temp views known so far (registered by statements or by <see cref="RegisterView"/>).</summary>
    public IReadOnlyDictionary<string, PlanNode> Views => views;

    public IReadOnlyList<PlanningDiagnostic> Diagnostics => diagnostics;

    /// <summary>Registers a view defined elsewhere (e.g. PySpark createOrReplaceTempView).</summary>
    public void RegisterView(string name, PlanNode plan) => views[name] = plan;

    /// <summary>Plans every statement of a script in order.</summary>
    public ImmutableArray<PlannedStatement> PlanScript(IEnumerable<Statement> statements) =>
        [.. statements.Select(s => new PlannedStatement(s, Plan(s)))];

    /// <summary>Parses and plans <paramref name="sql"/> (throws on syntax errors).</summary>
    public ImmutableArray<PlannedStatement> PlanScript(string sql) => PlanScript(SparkSqlParser.Parse(sql).Statements);

    public PlanNode Plan(Statement statement)
    {
        // Generated names (_w0 for an unnamed window) are numbered per statement, so a plan
        // does not depend on what was planned before it.
        generatedNames = 0;
        var plan = statement switch
        {
            QueryStatement query => PlanQuery(query.Query, null),
            InsertStatement insert => PlanInsert(insert),
            CreateTableStatement create => PlanCreateTable(create),
            CreateViewStatement view => PlanView(view),
            MergeStatement merge => PlanMerge(merge),
            UpdateStatement update => PlanUpdate(update),
            DeleteStatement delete => PlanDelete(delete),
            DropStatement drop => new Opaque([], drop.Span, drop.View ? "DROP VIEW" : "DROP TABLE") { Text = drop.Name.ToString() },
            PassThrough passThrough => new Opaque([], passThrough.Span, "pass-through " + passThrough.Keyword) { Text = passThrough.Text, PassThrough = true },
            _ => throw new InvalidOperationException($"SqlToPlan does not know {statement.GetType().Name}."),
        };
        return plan with { Span = statement.Span };
    }

    /// <summary>Plans a query in the enclosing scope (null at top level).</summary>
    internal PlanNode PlanQuery(Query query, Scope? outer) => PlanQuery(query, outer, out _);

    private PlanNode PlanQuery(Query query, Scope? outer, out Scope? blockScope)
    {
        var frame = new Dictionary<string, (PlanNode Plan, EquatableArray<string> Columns)>(StringComparer.OrdinalIgnoreCase);
        ctes.Push(frame);
        try
        {
            foreach (var cte in query.With)
            {
                var ctePlan = PlanQuery(cte.Query, outer);
                frame[cte.Name] = (ctePlan, cte.ColumnAliases);
            }

            var plan = PlanQueryExpression(query.Body, outer, out blockScope);
            if (!query.OrderBy.IsEmpty || !query.SortBy.IsEmpty)
            {
                var orderScope = Scope.Over(PlanSchema.Of(plan), blockScope ?? outer);
                var items = query.OrderBy.IsEmpty ? query.SortBy : query.OrderBy;
                plan = new Sort(plan, items.Select(item => item with { Expr = BindOrderKey(item.Expr, plan, orderScope) })) { Global = !query.OrderBy.IsEmpty, Span = query.Span };
            }

            if (query.Limit is not null)
            {
                plan = new Limit(plan, Bind(query.Limit, Scope.Empty)) { Offset = query.Offset is null ? null : Bind(query.Offset, Scope.Empty), Span = query.Span };
            }
            else if (query.Offset is not null)
            {
                plan = new Limit(plan, Literal.Of(long.MaxValue)) { Offset = Bind(query.Offset, Scope.Empty), Span = query.Span };
            }

            return plan;
        }
        finally
        {
            ctes.Pop();
        }
    }

    /// <summary>ORDER BY may name an output column, an output ordinal, or an input expression.</summary>
    private Expr BindOrderKey(Expr key, PlanNode plan, Scope scope)
    {
        if (key is Literal { Kind: LiteralKind.Integer } ordinal && int.TryParse(ordinal.Value, System.Globalization.CultureInfo.InvariantCulture, out var position))
        {
            var columns = PlanSchema.Of(plan).Columns;
            if (position >= 1 && position <= columns.Count)
            {
                var column = columns[position - 1];
                return new ColumnRef([new NamePart(column.Name)]) { Binding = new ColumnBinding(null, column.Name, column.Type, column.Nullable, column.Table, column.SourceColumn), Span = key.Span };
            }
        }

        return Bind(key, scope);
    }

    private PlanNode PlanQueryExpression(QueryExpr body, Scope? outer, out Scope? blockScope)
    {
        blockScope = null;
        switch (body)
        {
            case Query nested:
                return PlanQuery(nested, outer);
            case Select select:
                var (plan, scope) = PlanSelect(select, outer);
                blockScope = scope;
                return plan;
            case SetOperation setOperation:
                var left = PlanQueryExpression(setOperation.Left, outer, out _);
                var right = PlanQueryExpression(setOperation.Right, outer, out _);
                PlanNode node = setOperation.Operator switch
                {
                    SetOperator.Union => new Union(left, right, setOperation.All) { ByName = setOperation.ByName },
                    SetOperator.Intersect => new Intersect(left, right, setOperation.All),
                    _ => new Except(left, right, setOperation.All),
                };
                return node with { Span = setOperation.Span };
            case ValuesQuery values:
                return PlanValues(values.Rows, values.Span, []);
            default:
                throw new InvalidOperationException($"SqlToPlan does not know {body.GetType().Name}.");
        }
    }

    private Values PlanValues(EquatableArray<EquatableArray<Expr>> rows, SourceSpan span, EquatableArray<string> names)
    {
        var bound = rows.Select(row => row.Select(value => Bind(value, Scope.Empty)));
        var width = bound.Count == 0 ? 0 : bound[0].Count;
        var columns = Enumerable.Range(0, width).Select(i =>
        {
            var types = bound.Select(row => i < row.Count ? TypeInference.Infer(row[i]) : new TypedResult(SparkType.Null, true));
            var name = i < names.Count ? names[i] : "col" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new SchemaColumn(name, TypeCoercion.WiderAll(types.Select(t => t.Type)), types.Items.Any(t => t.Nullable));
        });
        return new Values(bound, new Schema(columns.ToEquatableArray())) { Span = span };
    }

    private string NextName(string prefix) => prefix + (generatedNames++).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Report(string message, SourceSpan span) => diagnostics.Add(new PlanningDiagnostic(message, span));
}
