using Modernizer.Code.Plan;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Emit;

/// <summary>Expressions.</summary>
public sealed partial class SqlPrinter
{
    private void Expression(Expr expr, int minPrecedence = 0)
    {
        if (expr is FunctionCall call)
        {
            if (Dialect.Functions.TryGetValue(call.Key, out var rule))
            {
                expr = rule(call, Dialect);
            }
            else if (!Dialect.PassUnknownFunctions && !Lifting.Semantics.SemanticLibrary.IsLibraryName(call.Name))
            {
                throw Dialect.Unsupported($"the function {call.Name}");
            }
        }

        var parenthesize = Precedence(expr) < minPrecedence;
        if (parenthesize)
        {
            Write("(");
        }

        ExpressionBody(expr);
        if (parenthesize)
        {
            Write(")");
        }
    }

    private void ExpressionBody(Expr expr)
    {
        switch (expr)
        {
            case Literal literal:
                LiteralValue(literal);
                break;
            case IntervalLiteral { Fields.Count: > 1 } interval when !Dialect.MultiFieldIntervals:
                Write("(");
                List(interval.Fields, field => ExpressionBody(new IntervalLiteral([field])), " + ");
                Write(")");
                break;
            case IntervalLiteral interval:
                Write("INTERVAL");
                foreach (var field in interval.Fields)
                {
                    Write(" ");
                    Expression(field.Value, PrecedencePrimary);
                    if (field.Unit is not null)
                    {
                        Write(" ").Write(field.Unit);
                    }

                    if (field.ToUnit is not null && !Dialect.MultiFieldIntervals)
                    {
                        throw Dialect.Unsupported($"the interval range {field.Unit} TO {field.ToUnit}");
                    }

                    if (field.ToUnit is not null)
                    {
                        Write(" TO ").Write(field.ToUnit);
                    }
                }

                break;
            case ColumnRef column:
                NameParts(column.Parts);
                break;
            case Star star:
                if (!star.Qualifier.IsEmpty)
                {
                    NameParts(star.Qualifier);
                    Write(".");
                }

                Write("*");
                break;
            case Placeholder placeholder:
                if (!Dialect.Placeholders)
                {
                    throw Dialect.Unsupported($"the unbound placeholder {new NamePart(placeholder.Name, placeholder.Style)}");
                }

                Write(new NamePart(placeholder.Name, placeholder.Style).ToString());
                break;
            case Unary unary:
                UnaryExpression(unary);
                break;
            case Binary binary:
                BinaryExpression(binary);
                break;
            case IsNull isNull:
                Expression(isNull.Operand, Parser.PrecedenceBitOr);
                Write(isNull.Negated ? " IS NOT NULL" : " IS NULL");
                break;
            case IsTruth truth:
                Expression(truth.Operand, Parser.PrecedenceBitOr);
                Write(truth.Negated ? " IS NOT " : " IS ").Write(truth.Value switch { true => "TRUE", false => "FALSE", null => "UNKNOWN" });
                break;
            case Between between:
                Expression(between.Operand, Parser.PrecedenceBitOr);
                Write(between.Negated ? " NOT BETWEEN " : " BETWEEN ");
                Expression(between.Low, Parser.PrecedenceBitOr);
                Write(" AND ");
                Expression(between.High, Parser.PrecedenceBitOr);
                break;
            case InList inList:
                Expression(inList.Operand, Parser.PrecedenceBitOr);
                Write(inList.Negated ? " NOT IN (" : " IN (");
                List(inList.Items, item => Expression(item));
                Write(")");
                break;
            case Like like:
                LikeExpression(like);
                break;
            case Case @case:
                CaseExpression(@case);
                break;
            case Cast cast:
                CastExpression(cast);
                break;
            case FunctionCall call:
                Function(call);
                break;
            case Extract extract:
                Write("EXTRACT(").Write(extract.Field.ToUpperInvariant()).Write(" FROM ");
                Expression(extract.Source);
                Write(")");
                break;
            case Lambda lambda:
                if (lambda.Parameters.Count == 1)
                {
                    Name(lambda.Parameters[0]);
                }
                else
                {
                    Write("(");
                    List(lambda.Parameters, Name);
                    Write(")");
                }

                Write(" -> ");
                Expression(lambda.Body);
                break;
            case FieldAccess access:
                Expression(access.Operand, PrecedencePrimary);
                Write(".");
                Name(access.Field);
                break;
            case Subscript subscript:
                Expression(subscript.Operand, PrecedencePrimary);
                Write("[");
                Expression(SubscriptIndex(subscript.Index));
                Write("]");
                break;
            case Alias alias:
                Expression(alias.Operand);
                Write(" AS ");
                Name(alias.Name);
                break;
            case MultiAlias multi:
                Expression(multi.Operand);
                Write(" AS (");
                List(multi.Names, Name);
                Write(")");
                break;
            case RowExpr row:
                Write("(");
                List(row.Items, item => Expression(item));
                Write(")");
                break;
            case ScalarSubquery scalar:
                Subquery(scalar.Query);
                break;
            case Exists exists:
                Write("EXISTS ");
                Subquery(exists.Query);
                break;
            case InSubquery inSubquery:
                Expression(inSubquery.Operand, Parser.PrecedenceBitOr);
                Write(inSubquery.Negated ? " NOT IN " : " IN ");
                Subquery(inSubquery.Query);
                break;
            case PlanSubquery:
                throw new InvalidOperationException("A plan subquery must be unparsed to syntax before printing (use PlanEmitter).");
            default:
                throw new InvalidOperationException($"SqlPrinter does not know {expr.GetType().Name}.");
        }
    }

    /// <summary>Spark arrays are 0-based, DuckDB lists 1-based; map keys stay as they are.
    /// Without a literal index the container kind is unknown, so it is unsupported.</summary>
    private Expr SubscriptIndex(Expr index)
    {
        if (Dialect.ZeroBasedArrays)
        {
            return index;
        }

        return index switch
        {
            Literal { Kind: LiteralKind.Integer } literal =>
                Literal.Of(long.Parse(literal.Value, System.Globalization.CultureInfo.InvariantCulture) + 1),
            Literal { Kind: LiteralKind.String } => index,
            _ => throw Dialect.Unsupported("a subscript with a computed index (array or map unknown)"),
        };
    }

    private void Subquery(Query query)
    {
        Write("(");
        indent++;
        QueryBody(query);
        indent--;
        Write(")");
    }

    private void LiteralValue(Literal literal)
    {
        switch (literal.Kind)
        {
            case LiteralKind.Null:
                Write("NULL");
                break;
            case LiteralKind.Boolean:
                Write(literal.Value == "true" ? "TRUE" : "FALSE");
                break;
            case LiteralKind.String:
                StringLiteral(literal.Value);
                break;
            case LiteralKind.Integer:
                Write(literal.Value);
                break;
            case LiteralKind.TinyInt:
                NumberWithSuffix(literal.Value, "Y", "TINYINT");
                break;
            case LiteralKind.SmallInt:
                NumberWithSuffix(literal.Value, "S", "SMALLINT");
                break;
            case LiteralKind.BigInt:
                NumberWithSuffix(literal.Value, "L", "BIGINT");
                break;
            case LiteralKind.Decimal:
                if (literal.ExplicitDecimalSuffix || !literal.Value.Contains('.', StringComparison.Ordinal))
                {
                    NumberWithSuffix(literal.Value, "BD", Dialect.TypeName(Sql.Types.SparkType.Decimal(Math.Max(1, literal.Value.Length), 0)));
                }
                else
                {
                    Write(literal.Value);
                }

                break;
            case LiteralKind.Double:
                if (literal.Value.Contains('e', StringComparison.OrdinalIgnoreCase))
                {
                    Write(literal.Value);
                }
                else
                {
                    NumberWithSuffix(literal.Value, "D", "DOUBLE");
                }

                break;
            case LiteralKind.Float:
                NumberWithSuffix(literal.Value, "F", "FLOAT");
                break;
            case LiteralKind.Date:
                Write("DATE ");
                StringLiteral(literal.Value);
                break;
            case LiteralKind.Timestamp:
                Write("TIMESTAMP ");
                StringLiteral(literal.Value);
                break;
            case LiteralKind.TimestampNtz:
                Write(Dialect.TimestampNtzLiteral);
                StringLiteral(literal.Value);
                break;
            case LiteralKind.Binary:
                Write("X'").Write(literal.Value).Write("'");
                break;
            default:
                throw new InvalidOperationException($"Unknown literal kind {literal.Kind}.");
        }
    }

    private void NumberWithSuffix(string digits, string suffix, string castType)
    {
        if (Dialect.NumericSuffixes)
        {
            Write(digits).Write(suffix);
        }
        else
        {
            Write("CAST(").Write(digits).Write(" AS ").Write(castType).Write(")");
        }
    }

    private void UnaryExpression(Unary unary)
    {
        switch (unary.Op)
        {
            case UnaryOp.Not:
                Write("NOT ");
                Expression(unary.Operand, Parser.PrecedenceNot);
                break;
            case UnaryOp.Negate or UnaryOp.Plus or UnaryOp.BitNot:
                var symbol = unary.Op switch { UnaryOp.Negate => "-", UnaryOp.Plus => "+", _ => "~" };
                Write(symbol);
                if (unary.Operand is Unary || (unary.Operand is Literal literal && literal.Value.StartsWith('-')))
                {
                    Write(" ");
                }

                Expression(unary.Operand, Parser.PrecedenceUnary);
                break;
            default:
                throw new InvalidOperationException($"Unknown unary operator {unary.Op}.");
        }
    }

    private void BinaryExpression(Binary binary)
    {
        var precedence = Precedence(binary.Op);
        var comparison = precedence == Parser.PrecedenceComparison;
        Expression(binary.Left, comparison ? precedence + 1 : precedence);
        Write(" ").Write(BinaryOperator(binary.Op)).Write(" ");
        Expression(binary.Right, precedence + 1);
    }

    private string BinaryOperator(BinaryOp op) => op switch
    {
        BinaryOp.Or => "OR",
        BinaryOp.And => "AND",
        BinaryOp.Eq => "=",
        BinaryOp.EqEq => Dialect.SparkSpellings ? "==" : "=",
        BinaryOp.BangEq when !Dialect.SparkSpellings => "<>",
        BinaryOp.NotEq => "<>",
        BinaryOp.BangEq => "!=",
        BinaryOp.Lt => "<",
        BinaryOp.LtEq => "<=",
        BinaryOp.Gt => ">",
        BinaryOp.GtEq => ">=",
        BinaryOp.NullSafeEq => Dialect.NullSafeEqualsOperator ? "<=>" : "IS NOT DISTINCT FROM",
        BinaryOp.IsDistinctFrom => "IS DISTINCT FROM",
        BinaryOp.IsNotDistinctFrom => "IS NOT DISTINCT FROM",
        BinaryOp.BitOr => "|",
        BinaryOp.BitXor => Dialect.BitXorOperator ?? throw Dialect.Unsupported("the ^ (bitwise xor) operator"),
        BinaryOp.BitAnd => "&",
        BinaryOp.Concat => "||",
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.IntDivide => Dialect.IntegerDivision,
        BinaryOp.Modulo => "%",
        _ => throw new InvalidOperationException($"Unknown operator {op}."),
    };

    private void LikeExpression(Like like)
    {
        if (Dialect.RegexMatchFunction is { } regexMatch && like.Kind is LikeKind.RLike or LikeKind.Regexp)
        {
            // A function that finds the pattern anywhere in the string, as Spark's RLIKE does.
            if (like.Negated)
            {
                Write("NOT ");
            }

            Write(regexMatch).Write("(");
            Expression(like.Operand);
            Write(", ");
            Expression(like.Pattern);
            Write(")");
            return;
        }

        Expression(like.Operand, Parser.PrecedenceBitOr);
        Write(like.Negated ? " NOT " : " ");
        Write(like.Kind switch { LikeKind.Like => "LIKE", LikeKind.ILike => "ILIKE", LikeKind.RLike => "RLIKE", _ => "REGEXP" });
        Write(" ");
        Expression(like.Pattern, Parser.PrecedenceBitOr);
        if (like.Escape is not null)
        {
            Write(" ESCAPE ");
            Expression(like.Escape, Parser.PrecedenceBitOr);
        }
    }

    private void CaseExpression(Case @case)
    {
        Write("CASE");
        if (@case.Operand is not null)
        {
            Write(" ");
            Expression(@case.Operand);
        }

        foreach (var when in @case.Whens)
        {
            Write(" WHEN ");
            Expression(when.Condition);
            Write(" THEN ");
            Expression(when.Result);
        }

        if (@case.Else is not null)
        {
            Write(" ELSE ");
            Expression(@case.Else);
        }

        Write(" END");
    }

    private void CastExpression(Cast cast)
    {
        if (cast.Style == CastStyle.DoubleColon && Dialect.DoubleColonCast)
        {
            Expression(cast.Operand, PrecedencePrimary);
            Write("::").Write(Dialect.TypeName(cast.Type));
            return;
        }

        Write(cast.Style == CastStyle.TryCast ? "TRY_CAST(" : "CAST(");
        Expression(cast.Operand);
        Write(" AS ").Write(Dialect.TypeName(cast.Type)).Write(")");
    }

    private void Function(FunctionCall call)
    {
        Write(call.Name).Write("(");
        if (call.Distinct)
        {
            Write("DISTINCT ");
        }

        if (call.Key == "struct_pack")
        {
            // DuckDB's named struct: struct_pack(name := value, ...).
            List(call.Args, arg =>
            {
                var (name, value) = arg is Alias alias ? (alias.Name, alias.Operand) : throw Dialect.Unsupported("struct_pack with an unnamed field");
                Name(name);
                Write(" := ");
                Expression(value);
            });
        }
        else
        {
            List(call.Args, arg => Expression(arg));
        }

        if (call.IgnoreNulls is { } inside && Dialect.IgnoreNullsInsideArguments)
        {
            if (call.Over is null)
            {
                throw Dialect.Unsupported($"{call.Name}(...) IGNORE NULLS outside a window");
            }

            Write(inside ? " IGNORE NULLS" : " RESPECT NULLS");
        }

        Write(")");
        if (call.IgnoreNulls is { } ignore && !Dialect.IgnoreNullsInsideArguments)
        {
            Write(ignore ? " IGNORE NULLS" : " RESPECT NULLS");
        }

        if (call.Filter is not null)
        {
            Write(" FILTER (WHERE ");
            Expression(call.Filter);
            Write(")");
        }

        if (call.Over is not null)
        {
            Write(" OVER ");
            WindowSpecification(call.Over);
        }
    }

    private void WindowSpecification(WindowSpec spec)
    {
        if (spec.IsReference)
        {
            Name(spec.BaseName!);
            return;
        }

        Write("(");
        var parts = new List<Action>();
        if (spec.BaseName is not null)
        {
            parts.Add(() => Name(spec.BaseName));
        }

        if (!spec.PartitionBy.IsEmpty)
        {
            parts.Add(() =>
            {
                Write("PARTITION BY ");
                List(spec.PartitionBy, e => Expression(e));
            });
        }

        if (!spec.OrderBy.IsEmpty)
        {
            parts.Add(() =>
            {
                Write("ORDER BY ");
                List(spec.OrderBy, SortItemText);
            });
        }

        if (spec.Frame is not null)
        {
            parts.Add(() => Frame(spec.Frame));
        }

        List(parts, p => p(), " ");
        Write(")");
    }

    private void Frame(WindowFrame frame)
    {
        Write(frame.Unit == FrameUnit.Rows ? "ROWS " : "RANGE ");
        if (frame.End is null)
        {
            Bound(frame.Start);
            return;
        }

        Write("BETWEEN ");
        Bound(frame.Start);
        Write(" AND ");
        Bound(frame.End);
    }

    private void Bound(FrameBound bound)
    {
        switch (bound.Kind)
        {
            case FrameBoundKind.UnboundedPreceding:
                Write("UNBOUNDED PRECEDING");
                break;
            case FrameBoundKind.UnboundedFollowing:
                Write("UNBOUNDED FOLLOWING");
                break;
            case FrameBoundKind.CurrentRow:
                Write("CURRENT ROW");
                break;
            case FrameBoundKind.Preceding or FrameBoundKind.Following:
                Expression(bound.Offset!, Parser.PrecedenceAdditive);
                Write(bound.Kind == FrameBoundKind.Preceding ? " PRECEDING" : " FOLLOWING");
                break;
            default:
                throw new InvalidOperationException($"Unknown frame bound {bound.Kind}.");
        }
    }

    private void SortItemText(SortItem item)
    {
        Expression(item.Expr);
        if (item.Direction != SortDirection.Unspecified)
        {
            Write(item.Direction == SortDirection.Ascending ? " ASC" : " DESC");
        }

        if (item.Nulls != NullOrdering.Unspecified)
        {
            Write(item.Nulls == NullOrdering.First ? " NULLS FIRST" : " NULLS LAST");
        }
    }
}
