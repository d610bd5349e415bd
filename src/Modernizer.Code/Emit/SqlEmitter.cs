using System.Collections.Immutable;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Emit;

/// <summary>Plan → SQL (the unparser, R4.1 deliverable and local validation). The plan is first
/// turned into a syntax tree (one SELECT block per run of operators that fit SQL's clause order,
/// derived tables where they do not), then printed in the dialect. Constructs the dialect cannot
/// express raise <see cref="UnsupportedConstructException"/>.</summary>
public sealed partial class SqlEmitter
{
    private int generatedAliases;

    public SqlEmitter(Dialect dialect) => Dialect = dialect;

    public static SqlEmitter Spark => new(Dialect.Spark);

    public static SqlEmitter DuckDb => new(Dialect.DuckDb);

    public Dialect Dialect { get; }

    /// <summary>The SQL text of a plan.</summary>
    public string Emit(PlanNode plan, bool pretty = true) => SqlPrinter.Print(ToStatement(plan), Dialect, pretty);

    /// <summary>The syntax tree of a plan (before printing).</summary>
    public Statement ToStatement(PlanNode plan) => plan switch
    {
        Write write => WriteStatement(write),
        DefineView view => new CreateViewStatement(view.Name, view.Kind, ToQuery(view.Input)) { OrReplace = view.Replace, ShortTemp = true },
        Opaque { PassThrough: true, Text: { } text } opaque => new PassThrough(opaque.Reason.Replace("pass-through ", string.Empty, StringComparison.Ordinal), text),
        Opaque opaque => throw Dialect.Unsupported($"opaque logic ({opaque.Reason})"),
        Loop loop => throw Dialect.Unsupported($"a loop over collected rows ({loop.Variable}); lift it first"),
        _ => new QueryStatement(ToQuery(plan)),
    };

    private Statement WriteStatement(Write write)
    {
        switch (write.Mode)
        {
            case WriteMode.Merge:
                return MergeStatement(write);
            case WriteMode.Update:
                return new UpdateStatement(write.Target, write.Assignments.Select(a => a with { Value = Expression(a.Value, false) }), ExpressionOrNull(write.Condition))
                {
                    Alias = (write.Input as SubqueryAlias)?.Alias,
                };
            case WriteMode.Delete:
                return new DeleteStatement(write.Target, ExpressionOrNull(write.Condition)) { Alias = (write.Input as SubqueryAlias)?.Alias };
        }

        var creates = write.CreatesTable || write.Mode is WriteMode.ErrorIfExists or WriteMode.Ignore
            || (write.Mode == WriteMode.Overwrite && !Dialect.InsertOverwrite && write.PartitionColumns.IsEmpty);
        if (creates)
        {
            var emptyDefinition = write.Input is Values { Rows.Count: 0 } definition ? definition : null;
            return new CreateTableStatement(write.Target)
            {
                OrReplace = write.Mode == WriteMode.Overwrite,
                IfNotExists = write.Mode == WriteMode.Ignore,
                Using = write.Format,
                PartitionedBy = write.PartitionColumns,
                Location = write.Location,
                Columns = emptyDefinition?.Schema.Columns.Select(c => new ColumnDefinition(c.Name, c.Type, c.Nullable)) ?? [],
                AsQuery = emptyDefinition is null ? ToQuery(write.Input) : null,
            };
        }

        var staticValues = write.StaticPartitions.Items.ToDictionary(p => p.Column, p => p.Value, StringComparer.OrdinalIgnoreCase);
        return new InsertStatement(write.Target, write.Mode == WriteMode.Overwrite, ToQuery(write.Input))
        {
            TableKeyword = write.Mode == WriteMode.Overwrite,
            Partition = write.PartitionColumns.Select(c => new PartitionValue(c, staticValues.TryGetValue(c, out var value) && value is not null ? Expression(value, false) : null)),
            Columns = write.Columns,
            ByName = write.ByName,
        };
    }

    private MergeStatement MergeStatement(Write write)
    {
        var merge = write.Merge ?? throw new InvalidOperationException("A merge write has no merge details.");
        var source = RelationOf(write.Input);
        var clauses = merge.Clauses.Select(clause => clause with
        {
            Condition = ExpressionOrNull(clause.Condition),
            Action = clause.Action switch
            {
                MergeUpdate update => new MergeUpdate(update.Assignments.Select(a => a with { Value = Expression(a.Value, false) })),
                MergeInsert insert => new MergeInsert(insert.Columns, insert.Values.Select(v => Expression(v, false))),
                _ => clause.Action,
            },
        });
        return new MergeStatement(write.Target, source, Expression(merge.On, false), clauses) { TargetAlias = merge.TargetAlias };
    }

    /// <summary>A FROM item for a plan: a table (possibly aliased) or a derived table.</summary>
    private Relation RelationOf(PlanNode node)
    {
        switch (node)
        {
            case Scan scan:
                return new TableRef(scan.Table) { TimeTravel = scan.TimeTravel };
            case SubqueryAlias { Input: Scan scan } alias:
                return new TableRef(scan.Table) { TimeTravel = scan.TimeTravel, Alias = alias.Alias, ColumnAliases = alias.ColumnAliases };
            case SubqueryAlias { Input: Values { Rows.Count: > 0 } values } alias:
                return new InlineTable(values.Rows.Select(r => r.Select(v => Expression(v, false))))
                {
                    Alias = alias.Alias,
                    ColumnAliases = alias.ColumnAliases.IsEmpty ? values.Schema.Columns.Select(c => c.Name) : alias.ColumnAliases,
                };
            case SubqueryAlias alias:
                return new DerivedTable(ToQuery(alias.Input)) { Alias = alias.Alias, ColumnAliases = alias.ColumnAliases };
            case Join join:
                var right = RelationOf(join.Right);
                var kind = join.Type switch
                {
                    JoinType.Inner => JoinKind.Inner,
                    JoinType.LeftOuter => JoinKind.LeftOuter,
                    JoinType.RightOuter => JoinKind.RightOuter,
                    JoinType.FullOuter => JoinKind.FullOuter,
                    JoinType.Cross => JoinKind.Cross,
                    JoinType.LeftSemi => JoinKind.LeftSemi,
                    JoinType.LeftAnti => JoinKind.LeftAnti,
                    _ => throw new InvalidOperationException($"Unknown join {join.Type}."),
                };
                var relation = new JoinRelation(kind, RelationOf(join.Left), right);
                if (!join.Using.IsEmpty)
                {
                    return relation with { Using = join.Using, Natural = join.Natural };
                }

                if (join.Natural)
                {
                    return relation with { Natural = true };
                }

                return relation with { On = ExpressionOrNull(join.Condition) };
            case Generate { Input: Values { Rows.Count: 1, Schema.Count: 0 } } tableFunction:
                return new TableFunction((FunctionCall)Expression(tableFunction.Generator, false)) { Alias = tableFunction.Alias, ColumnAliases = tableFunction.ColumnNames };
            case Values values:
                return new InlineTable(values.Rows.Select(r => r.Select(v => Expression(v, false))))
                {
                    Alias = NextAlias(),
                    ColumnAliases = values.Schema.Columns.Select(c => c.Name),
                };
            default:
                return new DerivedTable(ToQuery(node)) { Alias = NextAlias() };
        }
    }

    private string NextAlias() => "_q" + (generatedAliases++).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A plan expression on its own (a check over a query's rows) as syntax: its plan subqueries
    /// become syntax subqueries.</summary>
    public Expr ToSyntax(Expr expr) => Expression(expr, false);

    private Expr? ExpressionOrNull(Expr? expr) => expr is null ? null : Expression(expr, false);

    /// <summary>A plan expression as syntax: plan subqueries become syntax subqueries; with
    /// <paramref name="hideQualifiers"/> (the source is now a derived table) references lose their qualifier.</summary>
    private Expr Expression(Expr expr, bool hideQualifiers) => ExprTree.TransformUp(expr, e => e switch
    {
        PlanSubquery { Kind: SubqueryKind.Scalar } scalar => new ScalarSubquery(ToQuery(scalar.Plan)),
        PlanSubquery { Kind: SubqueryKind.Exists } exists => new Exists(ToQuery(exists.Plan)),
        PlanSubquery subquery => new InSubquery(subquery.Operand!, ToQuery(subquery.Plan), subquery.Negated),
        ColumnRef { Binding.Qualifier: not null } column when hideQualifiers && column.Parts.Count > 1 =>
            new ColumnRef(column.Parts.Items.Skip(QualifierLength(column)).ToEquatableArray()) { Binding = column.Binding },
        _ => null,
    }).Value;

    private static int QualifierLength(ColumnRef column)
    {
        var qualifier = column.Binding!.Qualifier!;
        for (var i = 0; i < column.Parts.Count - 1; i++)
        {
            if (string.Equals(column.Parts[i].Text, qualifier, StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }
        }

        return 0;
    }
}
