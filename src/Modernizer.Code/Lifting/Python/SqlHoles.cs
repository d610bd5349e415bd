using System.Globalization;
using System.Text;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Lifting.Python;

/// <summary>SQL text built with f-strings or .format over values known only at run time (parameters,
/// fields of the row being processed). The text is parsed with a marker in each hole; a marker inside
/// a quoted literal is the value's Python str() (None becomes 'None', as the legacy text did); a bare
/// marker is SQL code, kept only for numbers, whose text reads back as the same value.</summary>
internal static class SqlHoles
{
    public const string Prefix = "__mz_hole_";

    public static (string Sql, IReadOnlyDictionary<string, SqlScalar> Holes) Render(PyValue text, PyNode site, DriverInterpreter interpreter)
    {
        switch (text)
        {
            case PyStr s:
                return (s.Value, new Dictionary<string, SqlScalar>(StringComparer.Ordinal));
            case PyText composed:
                var sql = new StringBuilder();
                var holes = new Dictionary<string, SqlScalar>(StringComparer.Ordinal);
                foreach (var part in composed.Parts)
                {
                    if (part is string literal)
                    {
                        sql.Append(literal);
                        continue;
                    }

                    if (part is SqlScalar { Kind: PyKind.Str } parameter && !InsideQuotes(sql)
                        && interpreter.Freeze(parameter, "SQL text (a name in a statement)", site) is PyStr frozen)
                    {
                        sql.Append(frozen.Value);
                        continue;
                    }

                    var marker = Prefix + holes.Count.ToString(CultureInfo.InvariantCulture) + "__";
                    holes[marker] = part switch
                    {
                        SqlScalar scalar => scalar,
                        _ => throw interpreter.Refuse("a value of SQL text that is not known", site),
                    };
                    sql.Append(marker);
                }

                interpreter.Translation.Assume(new RewriteAssumption("sql-text-values", "Values spliced into SQL text by the legacy code contain no quote character (one would change the statement).", 0.9, null, null, interpreter.File, interpreter.LineOf(site)));
                return (sql.ToString(), holes);
            case SqlScalar:
                throw interpreter.Refuse("SQL text that is itself only known at run time (a parameter holding a statement)", site);
            default:
                throw interpreter.Refuse($"spark.sql of a {text.TypeName}", site);
        }
    }

    /// <summary>Whether the text so far leaves an open string literal (an odd number of quotes).</summary>
    private static bool InsideQuotes(StringBuilder sql)
    {
        var quotes = 0;
        for (var i = 0; i < sql.Length; i++)
        {
            if (sql[i] == '\'')
            {
                quotes++;
            }
        }

        return quotes % 2 == 1;
    }

    /// <summary>A string literal holding markers: the text with each hole's str() spliced in.</summary>
    public static Expr InLiteral(string literal, IReadOnlyDictionary<string, SqlScalar> holes, string file, int line)
    {
        var parts = new List<Expr>();
        var position = 0;
        while (position < literal.Length)
        {
            var start = literal.IndexOf(Prefix, position, StringComparison.Ordinal);
            if (start < 0)
            {
                parts.Add(Literal.Of(literal[position..]));
                break;
            }

            if (start > position)
            {
                parts.Add(Literal.Of(literal[position..start]));
            }

            var end = literal.IndexOf("__", start + Prefix.Length, StringComparison.Ordinal);
            var marker = end < 0 ? null : literal[start..(end + 2)];
            if (marker is null || !holes.TryGetValue(marker, out var hole))
            {
                throw new RewriteRefusedException("a SQL literal with an unknown value marker", file, line);
            }

            parts.Add(TextOf(hole, file, line));
            position = end + 2;
        }

        return parts.Count == 1 ? parts[0] : new FunctionCall("concat", parts.ToEquatableArray());
    }

    /// <summary>A hole outside quotes: the value's text is SQL code. Numbers read back as themselves.</summary>
    public static Expr AsCode(SqlScalar hole, string file, int line)
    {
        if (hole.Kind is not (PyKind.Int or PyKind.Decimal))
        {
            throw new RewriteRefusedException($"a {hole.Kind} value spliced into SQL as code (its text would be parsed as SQL)", file, line);
        }

        return hole.Nullable
            ? PySemantics.RaiseWhen(new IsNull(hole.Sql, false), "the legacy SQL text held None where a number was expected (the statement fails)", hole.Sql)
            : hole.Sql;
    }

    private static Expr TextOf(SqlScalar hole, string file, int line) => hole.Kind switch
    {
        PyKind.Str => hole.Nullable ? new FunctionCall("coalesce", [hole.Sql, Literal.Of("None")]) : hole.Sql,
        PyKind.Int or PyKind.Date or PyKind.Decimal => hole.Nullable
            ? new FunctionCall("coalesce", [new Cast(hole.Sql, Sql.Types.SparkType.String), Literal.Of("None")])
            : new Cast(hole.Sql, Sql.Types.SparkType.String),
        PyKind.Bool => new Case(null, [new WhenClause(new IsNull(hole.Sql, false), Literal.Of("None")), new WhenClause(hole.Sql, Literal.Of("True"))], Literal.Of("False")),
        _ => throw new RewriteRefusedException($"a {hole.Kind} value spliced into SQL text (Python's str() of it differs from SQL's)", file, line),
    };
}
