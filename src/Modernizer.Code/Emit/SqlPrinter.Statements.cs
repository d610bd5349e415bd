using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Emit;

/// <summary>Statements.</summary>
public sealed partial class SqlPrinter
{
    private void Statement(Statement statement)
    {
        switch (statement)
        {
            case QueryStatement query:
                QueryBody(query.Query);
                break;
            case InsertStatement insert:
                Insert(insert);
                break;
            case CreateTableStatement create:
                CreateTable(create);
                break;
            case CreateViewStatement view:
                CreateView(view);
                break;
            case MergeStatement merge:
                Merge(merge);
                break;
            case UpdateStatement update:
                Write("UPDATE ");
                TableName(update.Target);
                OptionalAlias(update.Alias);
                Break();
                Write("SET ");
                List(update.Assignments, AssignmentText);
                WhereClause(update.Where);
                break;
            case DeleteStatement delete:
                Write("DELETE FROM ");
                TableName(delete.Target);
                OptionalAlias(delete.Alias);
                WhereClause(delete.Where);
                break;
            case DropStatement drop:
                Write(drop.View ? "DROP VIEW " : "DROP TABLE ");
                if (drop.IfExists)
                {
                    Write("IF EXISTS ");
                }

                TableName(drop.Name);
                break;
            case PassThrough passThrough:
                if (!Dialect.PassThroughStatements)
                {
                    throw Dialect.Unsupported($"the {passThrough.Keyword} statement");
                }

                Write(passThrough.Text);
                break;
            default:
                throw new InvalidOperationException($"SqlPrinter does not know {statement.GetType().Name}.");
        }
    }

    private void OptionalAlias(string? alias)
    {
        if (alias is not null)
        {
            Write(" AS ");
            Name(alias);
        }
    }

    private void WhereClause(Expr? where)
    {
        if (where is not null)
        {
            Break();
            Write("WHERE ");
            Expression(where);
        }
    }

    private void AssignmentText(Assignment assignment)
    {
        NameParts(assignment.Column);
        Write(" = ");
        Expression(assignment.Value);
    }

    private void Insert(InsertStatement insert)
    {
        if (insert.Overwrite && !Dialect.InsertOverwrite)
        {
            throw Dialect.Unsupported("INSERT OVERWRITE");
        }

        Write(insert.Overwrite ? "INSERT OVERWRITE " : "INSERT INTO ");
        if (insert.TableKeyword)
        {
            Write("TABLE ");
        }

        TableName(insert.Target);
        if (!insert.Partition.IsEmpty)
        {
            Write(" PARTITION (");
            List(insert.Partition, p =>
            {
                Name(p.Column);
                if (p.Value is not null)
                {
                    Write(" = ");
                    Expression(p.Value);
                }
            });
            Write(")");
        }

        if (insert.IfNotExists)
        {
            Write(" IF NOT EXISTS");
        }

        if (!insert.Columns.IsEmpty)
        {
            Write(" (");
            List(insert.Columns, Name);
            Write(")");
        }
        else if (insert.ByName)
        {
            Write(" BY NAME");
        }

        Break();
        QueryBody(insert.Source);
    }

    private void CreateTable(CreateTableStatement create)
    {
        Write(create.OrReplace ? "CREATE OR REPLACE " : "CREATE ");
        if (create.Temporary)
        {
            Write("TEMPORARY ");
        }

        if (create.External)
        {
            Write("EXTERNAL ");
        }

        Write("TABLE ");
        if (create.IfNotExists)
        {
            Write("IF NOT EXISTS ");
        }

        TableName(create.Name);
        if (!create.Columns.IsEmpty)
        {
            Write(" (");
            List(create.Columns, column =>
            {
                Name(column.Name);
                Write(" ").Write(Dialect.TypeName(column.Type));
                if (!column.Nullable)
                {
                    Write(" NOT NULL");
                }

                if (column.Comment is not null)
                {
                    Write(" COMMENT ");
                    StringLiteral(column.Comment);
                }
            });
            Write(")");
        }

        if (!Dialect.TableStorageClauses)
        {
            if (create.AsQuery is not null)
            {
                Break();
                Write("AS ");
                QueryBody(create.AsQuery);
            }

            return;
        }

        if (create.Using is not null)
        {
            Break();
            Write("USING ").Write(Dialect.QuoteIdentifier(create.Using));
        }

        NameListClause("PARTITIONED BY", create.PartitionedBy);
        NameListClause("CLUSTER BY", create.ClusterBy);
        if (create.Location is not null)
        {
            Break();
            Write("LOCATION ");
            StringLiteral(create.Location);
        }

        if (create.Comment is not null)
        {
            Break();
            Write("COMMENT ");
            StringLiteral(create.Comment);
        }

        PropertiesClause("TBLPROPERTIES", create.Properties);
        PropertiesClause("OPTIONS", create.Options);
        if (create.AsQuery is not null)
        {
            Break();
            Write("AS ");
            QueryBody(create.AsQuery);
        }
    }

    private void NameListClause(string keyword, Sql.EquatableArray<string> names)
    {
        if (names.IsEmpty)
        {
            return;
        }

        Break();
        Write(keyword).Write(" (");
        List(names, Name);
        Write(")");
    }

    private void PropertiesClause(string keyword, Sql.EquatableArray<TableProperty> properties)
    {
        if (properties.IsEmpty)
        {
            return;
        }

        Break();
        Write(keyword).Write(" (");
        List(properties, property =>
        {
            StringLiteral(property.Key);
            Write(" = ");
            StringLiteral(property.Value);
        });
        Write(")");
    }

    private void CreateView(CreateViewStatement view)
    {
        Write(view.OrReplace ? "CREATE OR REPLACE " : "CREATE ");
        Write(view.Kind switch
        {
            ViewKind.Temporary => view.ShortTemp ? "TEMP " : "TEMPORARY ",
            ViewKind.GlobalTemporary => view.ShortTemp ? "GLOBAL TEMP " : "GLOBAL TEMPORARY ",
            _ => string.Empty,
        });
        Write("VIEW ");
        if (view.IfNotExists)
        {
            Write("IF NOT EXISTS ");
        }

        TableName(view.Name);
        if (!view.Columns.IsEmpty)
        {
            Write(" (");
            List(view.Columns, Name);
            Write(")");
        }

        if (view.Comment is not null)
        {
            Write(" COMMENT ");
            StringLiteral(view.Comment);
        }

        Write(" AS");
        Break();
        QueryBody(view.Query);
    }

    private void Merge(MergeStatement merge)
    {
        Write("MERGE INTO ");
        TableName(merge.Target);
        OptionalAlias(merge.TargetAlias);
        Break();
        Write("USING ");
        Relation(merge.Source);
        Break();
        Write("ON ");
        Expression(merge.On);
        foreach (var clause in merge.Clauses)
        {
            Break();
            Write(clause.Match switch
            {
                MergeMatch.Matched => "WHEN MATCHED",
                MergeMatch.NotMatchedByTarget => clause.ExplicitByTarget ? "WHEN NOT MATCHED BY TARGET" : "WHEN NOT MATCHED",
                _ => "WHEN NOT MATCHED BY SOURCE",
            });
            if (clause.Condition is not null)
            {
                Write(" AND ");
                Expression(clause.Condition);
            }

            Write(" THEN ");
            switch (clause.Action)
            {
                case MergeDelete:
                    Write("DELETE");
                    break;
                case MergeUpdate update:
                    Write("UPDATE SET ");
                    if (update.IsStar && !Dialect.MergeStarActions)
                    {
                        throw Dialect.Unsupported("MERGE ... UPDATE SET *");
                    }

                    if (update.IsStar)
                    {
                        Write("*");
                    }
                    else
                    {
                        List(update.Assignments, AssignmentText);
                    }

                    break;
                case MergeInsert insert:
                    if (insert.IsStar && !Dialect.MergeStarActions)
                    {
                        throw Dialect.Unsupported("MERGE ... INSERT *");
                    }

                    if (insert.IsStar)
                    {
                        Write("INSERT *");
                        break;
                    }

                    Write("INSERT (");
                    List(insert.Columns, Name);
                    Write(") VALUES (");
                    List(insert.Values, e => Expression(e));
                    Write(")");
                    break;
                default:
                    throw new InvalidOperationException($"Unknown merge action {clause.Action.GetType().Name}.");
            }
        }
    }
}
