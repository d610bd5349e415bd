using System.Collections.Immutable;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Plan;

/// <summary>Fluent, validating plan construction for frontends (the PySpark DataFrame frontend)
/// and tests. Every expression is bound against the current input's columns, exactly as
/// <see cref="SqlToPlan"/> binds SQL; a non-boolean filter predicate is rejected.
/// Strings are parsed as Spark SQL expressions (<c>F.expr</c> semantics).</summary>
public sealed class PlanBuilder
{
    private readonly SqlToPlan binder;
    private readonly PlanNode node;
    private readonly Scope scope;

    private PlanBuilder(SqlToPlan binder, PlanNode node, Scope scope)
    {
        this.binder = binder;
        this.node = node;
        this.scope = scope;
    }

    /// <summary>Problems met while binding (shared by builders derived from the same start).</summary>
    public IReadOnlyList<PlanningDiagnostic> Diagnostics => binder.Diagnostics;

    public Schema Schema => PlanSchema.Of(node);

    public PlanNode Build() => node;

    /// <summary>Starts from a table; the schema comes from <paramref name="schema"/>, else the provider, else unknown.</summary>
    public static PlanBuilder Scan(string table, Schema? schema = null, ISchemaProvider? provider = null, SqlToPlan? planner = null)
    {
        var name = ParseTableName(table);
        var resolved = schema ?? provider?.GetSchema(name) ?? Schema.Unknown;
        var scan = new Scan(name, resolved);
        return new PlanBuilder(planner ?? new SqlToPlan(provider), scan, new Scope([new ScopeEntry(name.Name, name.ToString(), PlanSchema.Of(scan))], null));
    }

    /// <summary>Continues from an existing plan (e.g. a SQL query's plan, a temp view).</summary>
    public static PlanBuilder From(PlanNode plan, SqlToPlan? planner = null) =>
        new(planner ?? new SqlToPlan(), plan, Scope.Over(PlanSchema.Of(plan), null));

    /// <summary>Literal rows (createDataFrame of literals); column names given.</summary>
    public static PlanBuilder Values(IEnumerable<IEnumerable<Expr>> rows, IEnumerable<string> names, SqlToPlan? planner = null)
    {
        var rowList = rows.Select(r => r.ToEquatableArray()).ToEquatableArray();
        var nameList = names.ToList();
        var width = rowList.Count == 0 ? nameList.Count : rowList[0].Count;
        var columns = Enumerable.Range(0, width).Select(i => new SchemaColumn(
            i < nameList.Count ? nameList[i] : $"col{i + 1}",
            TypeCoercion.WiderAll(rowList.Select(r => TypeInference.TypeOf(r[i]))),
            rowList.Items.Any(r => TypeInference.IsNullable(r[i]))));
        var values = new Values(rowList, new Schema(columns.ToEquatableArray()));
        return From(values, planner);
    }

    private PlanBuilder Next(PlanNode next) => new(binder, next, Scope.Over(PlanSchema.Of(next), scope.Outer));

    private Expr Bind(Expr expr) => binder.Bind(expr, scope);

    private static Expr Parse(string sql) => SparkSqlParser.ParseExpression(sql);

    public PlanBuilder Filter(Expr predicate)
    {
        var bound = Bind(predicate);
        var type = TypeInference.TypeOf(bound);
        if (type is not (BooleanType or UnknownType or NullType))
        {
            throw new ArgumentException($"A filter predicate must be BOOLEAN, got {type.SqlText}: {Emit.SqlPrinter.Print(predicate)}", nameof(predicate));
        }

        return Next(new Filter(node, bound) { Span = predicate.Span });
    }

    public PlanBuilder Filter(string predicate) => Filter(Parse(predicate));

    public PlanBuilder Project(params Expr[] expressions) => Next(new Project(node, expressions.Select(Bind).ToEquatableArray()));

    public PlanBuilder Project(params string[] expressions) => Project(expressions.Select(Parse).ToArray());

    /// <summary>Adds or replaces one column (DataFrame withColumn).</summary>
    public PlanBuilder WithColumn(string name, Expr value)
    {
        var schema = Schema;
        if (!schema.IsKnown)
        {
            return Project(Star.All, new Alias(value, name));
        }

        var items = schema.Columns.Items.Select(c => c.NameIs(name) ? (Expr)new Alias(value, name) : Exprs.Col(c.Name)).ToList();
        if (!schema.Columns.Items.Any(c => c.NameIs(name)))
        {
            items.Add(new Alias(value, name));
        }

        return Project([.. items]);
    }

    public PlanBuilder Aggregate(IEnumerable<Expr> keys, IEnumerable<Expr> aggregates)
    {
        var boundKeys = keys.Select(Bind).ToEquatableArray();
        var output = boundKeys.Items.Concat(aggregates.Select(Bind)).ToEquatableArray();
        return Next(new Aggregate(node, boundKeys, output));
    }

    public PlanBuilder Window(params Expr[] windowExpressions) => Next(new Window(node, windowExpressions.Select(Bind).ToEquatableArray()));

    public PlanBuilder Join(PlanBuilder right, JoinType type, Expr? condition)
    {
        var combined = new Scope(scope.Entries.AddRange(right.scope.Entries), scope.Outer);
        var bound = condition is null ? null : binder.Bind(condition, combined);
        var join = new Join(node, right.node, type, bound);
        var entries = type is JoinType.LeftSemi or JoinType.LeftAnti ? scope.Entries : combined.Entries;
        return new PlanBuilder(binder, join, new Scope(entries, scope.Outer));
    }

    public PlanBuilder Join(PlanBuilder right, JoinType type, string condition) => Join(right, type, Parse(condition));

    /// <summary>Join on equal column names (DataFrame join(other, ["a", "b"])).</summary>
    public PlanBuilder Join(PlanBuilder right, JoinType type, IEnumerable<string> usingColumns)
    {
        var columns = usingColumns.ToEquatableArray();
        Expr? condition = null;
        foreach (var column in columns)
        {
            var equality = new Binary(BinaryOp.Eq, binder.Bind(Exprs.Col(column), scope), binder.Bind(Exprs.Col(column), right.scope));
            condition = condition is null ? equality : new Binary(BinaryOp.And, condition, equality);
        }

        var joined = Join(right, type, (Expr?)null);
        return new PlanBuilder(binder, ((Join)joined.node) with { Condition = condition, Using = columns }, joined.scope);
    }

    public PlanBuilder Sort(params SortItem[] order) => Next(new Sort(node, order.Select(o => o with { Expr = Bind(o.Expr) }).ToEquatableArray()));

    public PlanBuilder Limit(long count) => Next(new Limit(node, Literal.Of(count)));

    public PlanBuilder Distinct(params string[] columns) => Next(new Distinct(node) { Columns = columns.ToEquatableArray() });

    /// <summary>Names the relation (DataFrame alias / SQL table alias): its columns take this qualifier.</summary>
    public PlanBuilder Alias(string alias)
    {
        var aliased = new SubqueryAlias(node, alias);
        return new PlanBuilder(binder, aliased, new Scope([new ScopeEntry(alias, null, PlanSchema.Of(aliased))], scope.Outer));
    }

    public PlanBuilder Union(PlanBuilder other, bool all = true, bool byName = false, bool allowMissingColumns = false) =>
        Next(new Union(node, other.node, all) { ByName = byName, AllowMissingColumns = allowMissingColumns });

    public PlanBuilder Generate(FunctionCall generator, bool outer, string? alias, params string[] columns)
    {
        var generate = new Generate(node, (FunctionCall)Bind(generator), outer, alias, columns.ToEquatableArray());
        return new PlanBuilder(binder, generate, scope.With(new ScopeEntry(alias, null, PlanSchema.GeneratedColumns(generate))));
    }

    public PlanBuilder Write(string target, WriteMode mode, string? format = null, params string[] partitionColumns) =>
        Next(new Write(node, ParseTableName(target), mode) { Format = format, PartitionColumns = partitionColumns.ToEquatableArray() });

    private static TableName ParseTableName(string table) =>
        new(table.Split('.').Select(p => new NamePart(p.Trim('`'))).ToEquatableArray());
}

/// <summary>Short expression constructors for builders and tests.</summary>
public static class Exprs
{
    public static ColumnRef Col(string dottedName) =>
        new(dottedName.Split('.').Select(p => new NamePart(p)).ToEquatableArray());

    public static Literal Lit(string value) => Literal.Of(value);

    public static Literal Lit(long value) => Literal.Of(value);

    public static Literal Lit(bool value) => Literal.Of(value);

    public static FunctionCall Call(string name, params Expr[] args) => new(name, args.ToEquatableArray());

    public static Alias As(this Expr expr, string name) => new(expr, name);

    public static Binary Eq(Expr left, Expr right) => new(BinaryOp.Eq, left, right);

    public static Binary Gt(Expr left, Expr right) => new(BinaryOp.Gt, left, right);

    public static Binary And(Expr left, Expr right) => new(BinaryOp.And, left, right);

    public static Binary Add(Expr left, Expr right) => new(BinaryOp.Add, left, right);

    public static SortItem Desc(Expr expr) => new(expr, SortDirection.Descending);

    public static SortItem Asc(Expr expr) => new(expr, SortDirection.Ascending);

    public static FunctionCall Over(this FunctionCall call, IEnumerable<Expr> partitionBy, IEnumerable<SortItem> orderBy) =>
        call with { Over = new WindowSpec(null, partitionBy.ToEquatableArray(), orderBy.ToEquatableArray(), null) };
}
