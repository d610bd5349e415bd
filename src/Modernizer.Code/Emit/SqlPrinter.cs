using System.Globalization;
using System.Text;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Emit;

/// <summary>Prints syntax trees as SQL in a dialect. Spark output re-parses to an equal tree
/// (round-trip stable). Parentheses come from the precedence table, so trees need no paren nodes.
/// <see cref="Pretty"/> puts clauses on their own lines.</summary>
public sealed partial class SqlPrinter
{
    private const int PrecedencePrimary = 12;

    private readonly StringBuilder output = new();
    private int indent;

    public SqlPrinter(Dialect? dialect = null, bool pretty = false)
    {
        Dialect = dialect ?? Dialect.Spark;
        Pretty = pretty;
    }

    public Dialect Dialect { get; }

    public bool Pretty { get; }

    /// <summary>Statements separated by ";\n".</summary>
    public static string Print(IEnumerable<Statement> statements, Dialect? dialect = null, bool pretty = false) =>
        string.Join(";\n", statements.Select(s => Print(s, dialect, pretty)));

    public static string Print(Statement statement, Dialect? dialect = null, bool pretty = false)
    {
        var printer = new SqlPrinter(dialect, pretty);
        printer.Statement(statement);
        return printer.output.ToString();
    }

    public static string Print(Query query, Dialect? dialect = null, bool pretty = false)
    {
        var printer = new SqlPrinter(dialect, pretty);
        printer.QueryBody(query);
        return printer.output.ToString();
    }

    public static string Print(Expr expr, Dialect? dialect = null)
    {
        var printer = new SqlPrinter(dialect);
        printer.Expression(expr);
        return printer.output.ToString();
    }

    private SqlPrinter Write(string text)
    {
        output.Append(text);
        return this;
    }

    /// <summary>A clause break: a new line at the current indent when pretty, else a space.</summary>
    private void Break()
    {
        if (Pretty)
        {
            output.Append('\n').Append(' ', indent * 2);
        }
        else
        {
            output.Append(' ');
        }
    }

    private void List<T>(IEnumerable<T> items, Action<T> print, string separator = ", ")
    {
        var first = true;
        foreach (var item in items)
        {
            if (!first)
            {
                Write(separator);
            }

            first = false;
            print(item);
        }
    }

    private void Name(string name) => Write(Dialect.QuoteIdentifier(name));

    private void NameParts(IEnumerable<NamePart> parts) => List(parts, NamePart, ".");

    private void NamePart(NamePart part)
    {
        switch (part.Placeholder)
        {
            case PlaceholderStyle.None:
                if (!Dialect.Placeholders && part.Text.Contains("${", StringComparison.Ordinal))
                {
                    throw Dialect.Unsupported($"the unbound placeholder in {part.Text}");
                }

                Name(part.Text);
                break;
            default:
                if (!Dialect.Placeholders)
                {
                    throw Dialect.Unsupported($"the unbound placeholder {part}");
                }

                Write(part.ToString());
                break;
        }
    }

    private void TableName(TableName name) => NameParts(name.Parts);

    private void StringLiteral(string value)
    {
        var builder = new StringBuilder("'");
        foreach (var c in value)
        {
            if (!Dialect.BackslashEscapes)
            {
                builder.Append(c == '\'' ? "''" : c.ToString());
                continue;
            }

            builder.Append(c switch
            {
                '\'' => "\\'",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                '\b' => "\\b",
                '\0' => "\\0",
                '\u001A' => "\\Z",
                _ => c.ToString(),
            });
        }

        Write(builder.Append('\'').ToString());
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    internal static int Precedence(Expr expr) => expr switch
    {
        Binary binary => Precedence(binary.Op),
        Unary { Op: UnaryOp.Not } => Parser.PrecedenceNot,
        Unary => Parser.PrecedenceUnary,
        IsNull or IsTruth or Between or InList or Like or InSubquery => Parser.PrecedenceComparison,
        Lambda => 0,
        PlanSubquery { Kind: SubqueryKind.In } => Parser.PrecedenceComparison,
        _ => PrecedencePrimary,
    };

    internal static int Precedence(BinaryOp op) => op switch
    {
        BinaryOp.Or => Parser.PrecedenceOr,
        BinaryOp.And => Parser.PrecedenceAnd,
        BinaryOp.Eq or BinaryOp.EqEq or BinaryOp.NotEq or BinaryOp.BangEq or BinaryOp.Lt or BinaryOp.LtEq or BinaryOp.Gt
            or BinaryOp.GtEq or BinaryOp.NullSafeEq or BinaryOp.IsDistinctFrom or BinaryOp.IsNotDistinctFrom => Parser.PrecedenceComparison,
        BinaryOp.BitOr => Parser.PrecedenceBitOr,
        BinaryOp.BitXor => Parser.PrecedenceBitXor,
        BinaryOp.BitAnd => Parser.PrecedenceBitAnd,
        BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Concat => Parser.PrecedenceAdditive,
        BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.IntDivide or BinaryOp.Modulo => Parser.PrecedenceMultiplicative,
        _ => throw new InvalidOperationException($"Unknown operator {op}."),
    };
}
