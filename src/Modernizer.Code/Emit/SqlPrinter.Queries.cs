using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Emit;

/// <summary>Queries, relations and statements.</summary>
public sealed partial class SqlPrinter
{
    private void QueryBody(Query query)
    {
        if (!query.With.IsEmpty)
        {
            Write("WITH ");
            List(
                query.With,
                cte =>
                {
                    Name(cte.Name);
                    if (!cte.ColumnAliases.IsEmpty)
                    {
                        Write("(");
                        List(cte.ColumnAliases, Name);
                        Write(")");
                    }

                    Write(" AS ");
                    Subquery(cte.Query);
                });
            Break();
        }

        QueryExpression(query.Body);
        if (!query.OrderBy.IsEmpty)
        {
            Break();
            Write("ORDER BY ");
            List(query.OrderBy, SortItemText);
        }

        if (!query.ClusterBy.IsEmpty || !query.DistributeBy.IsEmpty || !query.SortBy.IsEmpty)
        {
            if (!Dialect.ClusterDistributeSortBy)
            {
                throw Dialect.Unsupported("CLUSTER BY / DISTRIBUTE BY / SORT BY");
            }

            ExpressionClause("CLUSTER BY ", query.ClusterBy);
            ExpressionClause("DISTRIBUTE BY ", query.DistributeBy);
            if (!query.SortBy.IsEmpty)
            {
                Break();
                Write("SORT BY ");
                List(query.SortBy, SortItemText);
            }
        }

        if (query.Limit is not null)
        {
            Break();
            Write("LIMIT ");
            Expression(query.Limit);
        }

        if (query.Offset is not null)
        {
            Break();
            Write("OFFSET ");
            Expression(query.Offset);
        }
    }

    private void ExpressionClause(string keyword, Sql.EquatableArray<Expr> items)
    {
        if (items.IsEmpty)
        {
            return;
        }

        Break();
        Write(keyword);
        List(items, e => Expression(e));
    }

    private void QueryExpression(QueryExpr body)
    {
        switch (body)
        {
            case Query nested:
                Subquery(nested);
                break;
            case Select select:
                SelectBlock(select);
                break;
            case SetOperation setOperation:
                QueryExpression(setOperation.Left);
                Break();
                Write(setOperation.Operator switch
                {
                    SetOperator.Union => "UNION",
                    SetOperator.Intersect => "INTERSECT",
                    _ => setOperation.Minus && Dialect.SparkSpellings ? "MINUS" : "EXCEPT",
                });
                if (setOperation.All)
                {
                    Write(" ALL");
                }
                else if (setOperation.ExplicitDistinct)
                {
                    Write(" DISTINCT");
                }

                if (setOperation.ByName)
                {
                    Write(" BY NAME");
                }

                Break();
                QueryExpression(setOperation.Right);
                break;
            case ValuesQuery values:
                Write("VALUES ");
                Rows(values.Rows);
                break;
            default:
                throw new InvalidOperationException($"SqlPrinter does not know {body.GetType().Name}.");
        }
    }

    private void Rows(Sql.EquatableArray<Sql.EquatableArray<Expr>> rows) =>
        List(rows, row =>
        {
            Write("(");
            List(row, e => Expression(e));
            Write(")");
        });

    private void SelectBlock(Select select)
    {
        Write("SELECT ");
        if (!select.Hints.IsEmpty && Dialect.Hints)
        {
            Write("/*+ ");
            List(select.Hints, hint =>
            {
                Write(hint.Name);
                if (!hint.Args.IsEmpty)
                {
                    Write("(");
                    List(hint.Args, e => Expression(e));
                    Write(")");
                }
            });
            Write(" */ ");
        }

        if (select.Distinct)
        {
            Write("DISTINCT ");
        }

        List(select.Items, item => Expression(item));
        if (!select.From.IsEmpty)
        {
            Break();
            Write("FROM ");
            List(select.From, Relation);
        }

        foreach (var lateral in select.LateralViews)
        {
            LateralViewClause(lateral);
        }

        if (select.Where is not null)
        {
            Break();
            Write("WHERE ");
            Expression(select.Where);
        }

        if (select.GroupBy is not null)
        {
            Break();
            GroupByClause(select.GroupBy);
        }

        if (select.Having is not null)
        {
            Break();
            Write("HAVING ");
            Expression(select.Having);
        }

        if (!select.Windows.IsEmpty)
        {
            Break();
            Write("WINDOW ");
            List(select.Windows, window =>
            {
                Name(window.Name);
                Write(" AS ");
                WindowSpecification(window.Spec);
            });
        }

        if (select.Qualify is not null)
        {
            Break();
            Write("QUALIFY ");
            Expression(select.Qualify);
        }
    }

    private void LateralViewClause(LateralView lateral)
    {
        if (!Dialect.LateralView)
        {
            throw Dialect.Unsupported("LATERAL VIEW");
        }

        Break();
        Write(lateral.Outer ? "LATERAL VIEW OUTER " : "LATERAL VIEW ");
        Function(lateral.Generator);
        Write(" ");
        Name(lateral.TableAlias);
        if (!lateral.ColumnAliases.IsEmpty)
        {
            Write(" AS ");
            List(lateral.ColumnAliases, Name);
        }
    }

    private void GroupByClause(GroupBy groupBy)
    {
        Write("GROUP BY ");
        if (groupBy.All)
        {
            Write("ALL");
            return;
        }

        switch (groupBy.Kind)
        {
            case GroupingKind.Plain:
                List(groupBy.Expressions, e => Expression(e));
                break;
            case GroupingKind.Rollup or GroupingKind.Cube:
                var word = groupBy.Kind == GroupingKind.Rollup ? "ROLLUP" : "CUBE";
                if (groupBy.WithSuffix)
                {
                    List(groupBy.Expressions, e => Expression(e));
                    Write(" WITH ").Write(word);
                }
                else
                {
                    Write(word).Write("(");
                    List(groupBy.Expressions, e => Expression(e));
                    Write(")");
                }

                break;
            case GroupingKind.GroupingSets:
                if (!groupBy.Expressions.IsEmpty)
                {
                    List(groupBy.Expressions, e => Expression(e));
                    Write(" ");
                }

                Write("GROUPING SETS (");
                List(groupBy.Sets, set =>
                {
                    Write("(");
                    List(set, e => Expression(e));
                    Write(")");
                });
                Write(")");
                break;
            default:
                throw new InvalidOperationException($"Unknown grouping {groupBy.Kind}.");
        }
    }

    private void Relation(Relation relation)
    {
        switch (relation)
        {
            case TableRef table:
                TableName(table.Name);
                if (table.TimeTravel is { } travel)
                {
                    if (!Dialect.TimeTravel)
                    {
                        throw Dialect.Unsupported("time travel (VERSION/TIMESTAMP AS OF)");
                    }

                    Write(travel.ByVersion ? " VERSION AS OF " : " TIMESTAMP AS OF ");
                    Expression(travel.Value);
                }

                break;
            case DerivedTable derived:
                if (derived.Lateral)
                {
                    Write("LATERAL ");
                }

                Subquery(derived.Query);
                break;
            case TableFunction function:
                Expression(function.Call);
                break;
            case InlineTable inline:
                Write(Dialect.ParenthesizedInlineTables ? "(VALUES " : "VALUES ");
                Rows(inline.Rows);
                if (Dialect.ParenthesizedInlineTables)
                {
                    Write(")");
                }

                break;
            case JoinRelation join:
                Relation(join.Left);
                Break();
                if (join.Natural)
                {
                    Write("NATURAL ");
                }

                Write(join.Kind switch
                {
                    JoinKind.Inner => "JOIN ",
                    JoinKind.LeftOuter => "LEFT JOIN ",
                    JoinKind.RightOuter => "RIGHT JOIN ",
                    JoinKind.FullOuter => "FULL JOIN ",
                    JoinKind.Cross => "CROSS JOIN ",
                    JoinKind.LeftSemi => Dialect.SemiJoin,
                    JoinKind.LeftAnti => Dialect.AntiJoin,
                    _ => throw new InvalidOperationException($"Unknown join {join.Kind}."),
                });
                Relation(join.Right);
                if (join.On is not null)
                {
                    Write(" ON ");
                    Expression(join.On);
                }
                else if (!join.Using.IsEmpty)
                {
                    Write(" USING (");
                    List(join.Using, Name);
                    Write(")");
                }

                return;
            default:
                throw new InvalidOperationException($"SqlPrinter does not know {relation.GetType().Name}.");
        }

        RelationAlias(relation);
    }

    private void RelationAlias(Relation relation)
    {
        if (relation.Alias is null)
        {
            return;
        }

        Write(" AS ");
        Name(relation.Alias);
        if (!relation.ColumnAliases.IsEmpty)
        {
            Write("(");
            List(relation.ColumnAliases, Name);
            Write(")");
        }
    }
}
