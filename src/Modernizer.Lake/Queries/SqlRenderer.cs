using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Modernizer.Lake.Engines;
using Modernizer.Lake.Tables;

namespace Modernizer.Lake.Queries;

/// <summary>SQL text plus the values bound to its placeholders.</summary>
public sealed record RenderedQuery(string Sql, ImmutableArray<QueryParameter> Parameters);

/// <summary>Prints a <see cref="SelectQuery"/> for one dialect: identifiers quoted (DuckDB
/// <c>"x"</c>, Spark <c>`x`</c>), values bound as <c>$p0</c> / <c>:p0</c>, functions spelled per
/// dialect. The tree is printed, never strings from users concatenated.</summary>
public static class SqlRenderer
{
    public static RenderedQuery Render(SelectQuery query, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(query);
        var context = new Context(dialect);
        var sql = context.Query(query);
        return new RenderedQuery(sql, context.Parameters.ToImmutable());
    }

    public static string QuoteIdentifier(string name, SqlDialect dialect) => dialect == SqlDialect.DuckDb
        ? "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
        : "`" + name.Replace("`", "``", StringComparison.Ordinal) + "`";

    private sealed class Context(SqlDialect dialect)
    {
        public ImmutableArray<QueryParameter>.Builder Parameters { get; } = ImmutableArray.CreateBuilder<QueryParameter>();

        public string Query(SelectQuery query)
        {
            var sql = new StringBuilder("SELECT ");
            sql.AppendJoin(", ", query.Items.Select(i => i.Alias is null ? Expr(i.Expression) : Expr(i.Expression) + " AS " + QuoteIdentifier(i.Alias, dialect)));
            sql.Append(" FROM ").Append(Relation(query.From));
            if (query.Where is { } where)
            {
                sql.Append(" WHERE ").Append(Expr(where));
            }

            if (!query.GroupBy.IsEmpty)
            {
                sql.Append(" GROUP BY ").AppendJoin(", ", query.GroupBy.Select(Expr));
            }

            if (!query.OrderBy.IsEmpty)
            {
                sql.Append(" ORDER BY ").AppendJoin(", ", query.OrderBy.Select(o => Expr(o.Expression) + (o.Descending ? " DESC" : " ASC")));
            }

            if (query.Limit is { } limit)
            {
                sql.Append(" LIMIT ").Append(limit.ToString(CultureInfo.InvariantCulture));
            }

            return sql.ToString();
        }

        private string Relation(Relation relation) => relation switch
        {
            NamedTable t => string.Join('.', t.Parts.Select(p => QuoteIdentifier(p, dialect))),
            EngineRelation e when e.Dialect == dialect => e.Sql,
            EngineRelation e => throw new UnsupportedSqlException($"a {e.Dialect} relation cannot be used in {dialect}"),
            SubqueryRelation s => "(" + Query(s.Query) + ") AS " + QuoteIdentifier(s.Alias, dialect),
            _ => throw new UnsupportedSqlException($"unknown relation {relation.GetType().Name}"),
        };

        private string Expr(SqlExpr expr) => expr switch
        {
            Column c => string.Join('.', c.Path.Select(p => QuoteIdentifier(p, dialect))),
            Value v => Bind(v.Data),
            Number n => n.Data.ToString(CultureInfo.InvariantCulture),
            NumberList l => (dialect == SqlDialect.DuckDb ? "[" : "array(") + string.Join(", ", l.Data.Select(d => d.ToString(CultureInfo.InvariantCulture))) + (dialect == SqlDialect.DuckDb ? "]" : ")"),
            Star => "*",
            Call call => CallText(call),
            Binary b => "(" + Expr(b.Left) + " " + Operator(b.Op) + " " + Expr(b.Right) + ")",
            Unary { Op: UnaryOp.Not } u => "(NOT " + Expr(u.Operand) + ")",
            Unary { Op: UnaryOp.IsNull } u => "(" + Expr(u.Operand) + " IS NULL)",
            Unary { Op: UnaryOp.IsNotNull } u => "(" + Expr(u.Operand) + " IS NOT NULL)",
            CastTo c => "CAST(" + Expr(c.Operand) + " AS " + TypeName(c.SparkType) + ")",
            Between b => "(" + Expr(b.Operand) + " BETWEEN " + Expr(b.Low) + " AND " + Expr(b.High) + ")",
            _ => throw new UnsupportedSqlException($"unknown expression {expr.GetType().Name}"),
        };

        private string CallText(Call call)
        {
            if (call.Function == SqlFunctions.ApproxQuantile && dialect == SqlDialect.SparkSql && call.Arguments.Length == 2)
            {
                // Spark's percentile_approx takes the same (column, fractions) arguments.
                return "percentile_approx(" + Expr(call.Arguments[0]) + ", " + Expr(call.Arguments[1]) + ")";
            }

            var name = SqlFunctions.Spell(call.Function, dialect);
            return name + "(" + (call.Distinct ? "DISTINCT " : string.Empty) + string.Join(", ", call.Arguments.Select(Expr)) + ")";
        }

        private string TypeName(string sparkType)
        {
            if (sparkType.StartsWith("array<", StringComparison.Ordinal) && sparkType.EndsWith('>'))
            {
                var element = TypeName(sparkType[6..^1]);
                return dialect == SqlDialect.SparkSql ? "ARRAY<" + element + ">" : element + "[]";
            }

            return dialect == SqlDialect.SparkSql ? sparkType.ToUpperInvariant() : DuckDbTypes.FromSpark(new PrimitiveType(sparkType));
        }

        private string Bind(object? value)
        {
            var name = "p" + Parameters.Count.ToString(CultureInfo.InvariantCulture);
            Parameters.Add(new QueryParameter(name, value));
            return (dialect == SqlDialect.DuckDb ? "$" : ":") + name;
        }

        private static string Operator(BinaryOp op) => op switch
        {
            BinaryOp.Eq => "=",
            BinaryOp.NotEq => "<>",
            BinaryOp.Lt => "<",
            BinaryOp.Le => "<=",
            BinaryOp.Gt => ">",
            BinaryOp.Ge => ">=",
            BinaryOp.And => "AND",
            BinaryOp.Or => "OR",
            BinaryOp.Add => "+",
            BinaryOp.Subtract => "-",
            BinaryOp.Multiply => "*",
            BinaryOp.Divide => "/",
            _ => throw new UnsupportedSqlException($"unknown operator {op}"),
        };
    }
}
