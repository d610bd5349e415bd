using System.Collections.Immutable;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Parsing;
using Modernizer.Code.Sql.Syntax;
using SqlColumn = Modernizer.Code.Sql.Syntax.ColumnRef;

namespace Modernizer.Code.Frontend;

/// <summary>Reads Spark SQL text with the project's Spark SQL parser and walks the syntax tree for
/// what lineage and the rules need: tables read (CTE names resolved away), tables written (INSERT,
/// MERGE, UPDATE, DELETE, CTAS), temp views created, output columns and findings with lines.</summary>
internal sealed class SparkSqlReader : ISqlReader
{
    public SqlSummary Read(string sql)
    {
        ParseResult parsed;
        try
        {
            parsed = SparkSqlParser.Parse(sql, ParseOptions.Collecting);
        }
        catch (SqlSyntaxException error)
        {
            return SqlSummary.Empty with { Error = error.Message };
        }
        catch (InvalidOperationException error)
        {
            return SqlSummary.Empty with { Error = error.Message };
        }

        var walker = new Walker(sql);
        foreach (var statement in parsed.Statements)
        {
            walker.Statement(statement);
        }

        var error0 = parsed.Errors.IsEmpty ? null : string.Join("; ", parsed.Errors.Select(e => $"line {e.Span.Line}: {e.Message}"));
        return new SqlSummary(
            [.. walker.Reads.Distinct(StringComparer.OrdinalIgnoreCase)],
            [.. walker.Writes],
            [.. walker.TempViews],
            [.. walker.Findings],
            walker.Output,
            error0)
        {
            OpenOutput = walker.OpenOutput,
            Use = walker.Use,
            Versions = walker.Versions.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase),
        };
    }

    private sealed class Walker
    {
        private readonly HashSet<string> _ctes = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, ImmutableArray<SqlOutputColumn>> _views = new(StringComparer.OrdinalIgnoreCase);
        private readonly string _sql;

        public Walker(string sql) => _sql = sql;

        public List<string> Reads { get; } = [];

        public List<SqlWrite> Writes { get; } = [];

        public List<string> TempViews { get; } = [];

        public List<SqlFinding> Findings { get; } = [];

        public ImmutableArray<SqlOutputColumn> Output { get; private set; } = [];

        public bool OpenOutput { get; private set; }

        /// <summary>What the last USE names: <c>db</c>, <c>catalog.db</c>, <c>catalog c</c> or <c>schema s</c>.</summary>
        public string? Use { get; private set; }

        public Dictionary<string, string> Versions { get; } = new(StringComparer.OrdinalIgnoreCase);

        public void Statement(Statement statement)
        {
            switch (statement)
            {
                case PassThrough { Keyword: "USE" } use:
                    var words = use.Text.Split([' ', '\t', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
                    Use = words.Length switch
                    {
                        0 => Use,
                        1 => words[0].Replace("`", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
                        _ => words[0].ToLowerInvariant() switch
                        {
                            "catalog" => "catalog " + words[1].Replace("`", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
                            "schema" or "database" => words[1].Replace("`", string.Empty, StringComparison.Ordinal).ToLowerInvariant(),
                            _ => Use,
                        },
                    };
                    break;
                case QueryStatement query:
                    Query(query.Query, main: true);
                    break;
                case InsertStatement insert:
                    var staticPartition = !insert.Partition.IsEmpty && insert.Partition.Items.All(p => p.Value is not null);
                    Query(insert.Source, main: true);
                    Writes.Add(new SqlWrite(Key(insert.Target), insert.Overwrite ? "insert_overwrite" : "insert_into", staticPartition, insert.Span.Line) { Columns = Output });
                    break;
                case PassThrough { Keyword: "APPLY", Target: { } applyTarget } apply:
                    // DLT: APPLY CHANGES INTO target FROM [STREAM(]source[)] KEYS (...) ...
                    Writes.Add(new SqlWrite(Key(applyTarget), "merge", true, apply.Span.Line));
                    var from = System.Text.RegularExpressions.Regex.Match(apply.Text, @"\bFROM\s+(?:STREAM\s*\(\s*([\w.`]+)\s*\)|STREAM\s+([\w.`]+)|([\w.`]+))", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
                    if (from.Success && !WrittenEarlier(from.Groups[1].Success ? from.Groups[1].Value : from.Groups[2].Success ? from.Groups[2].Value : from.Groups[3].Value))
                    {
                        Reads.Add((from.Groups[1].Success ? from.Groups[1].Value : from.Groups[2].Success ? from.Groups[2].Value : from.Groups[3].Value).Replace("`", string.Empty, StringComparison.Ordinal).ToLowerInvariant());
                    }

                    break;
                case CreateTableStatement { Temporary: true, AsQuery: null } overFiles:
                    // CREATE TEMPORARY VIEW v USING json OPTIONS (path ...): a view over files.
                    TempViews.Add(Key(overFiles.Name));
                    _views[Key(overFiles.Name)] = [];
                    break;
                case CreateTableStatement create:
                    if (create.AsQuery is { } asQuery)
                    {
                        Query(asQuery, main: true);
                        Writes.Add(new SqlWrite(Key(create.Name), "create_table_as", false, create.Span.Line) { Columns = Output });
                    }

                    _declared.Add(Bare(Key(create.Name)));
                    if (create.PartitionedBy.IsEmpty && create.ClusterBy.IsEmpty && !create.Temporary)
                    {
                        var dateColumns = create.Columns.Items.Where(c => c.Name.Contains("date", StringComparison.OrdinalIgnoreCase)).Select(c => c.Name).ToArray();
                        Findings.Add(new SqlFinding("create_table_unpartitioned", EndLine(create.Span), Key(create.Name) + "|" + string.Join(",", dateColumns) + "|" + (create.IfNotExists ? "if_not_exists" : string.Empty) + "|" + create.Columns.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    }

                    break;
                case CreateViewStatement view:
                    Query(view.Query, main: true);
                    if (view.Kind == ViewKind.Persistent)
                    {
                        Writes.Add(new SqlWrite(Key(view.Name), "view", false, view.Span.Line) { Columns = Output });
                    }
                    else
                    {
                        TempViews.Add(Key(view.Name));
                    }

                    // A view made earlier in the same text is never a source of what reads it.
                    _views[Key(view.Name)] = Output;
                    break;
                case MergeStatement merge:
                    Writes.Add(new SqlWrite(Key(merge.Target), "merge", true, merge.Span.Line));
                    Relation(merge.Source);
                    Expression(merge.On);
                    foreach (var clause in merge.Clauses)
                    {
                        Expression(clause.Condition);
                        MergeAction(clause.Action);
                    }

                    break;
                case UpdateStatement update:
                    Writes.Add(new SqlWrite(Key(update.Target), "update", true, update.Span.Line));
                    foreach (var assignment in update.Assignments)
                    {
                        Expression(assignment.Value);
                    }

                    Expression(update.Where);
                    break;
                case DeleteStatement delete:
                    Writes.Add(new SqlWrite(Key(delete.Target), "delete", true, delete.Span.Line));
                    Expression(delete.Where);
                    break;
                default:
                    break;
            }
        }

        /// <summary>The line of the last character of a span (where a missing clause would go).</summary>
        private int EndLine(SourceSpan span)
        {
            var end = Math.Min(Math.Max(span.End - 1, span.Offset), _sql.Length);
            var line = 1;
            for (var i = 0; i < end; i++)
            {
                if (_sql[i] == '\n')
                {
                    line++;
                }
            }

            return span.IsKnown ? line : 0;
        }

        private void MergeAction(Sql.Syntax.MergeAction action)
        {
            switch (action)
            {
                case MergeUpdate update:
                    foreach (var assignment in update.Assignments)
                    {
                        Expression(assignment.Value);
                    }

                    break;
                case MergeInsert insert:
                    foreach (var value in insert.Values)
                    {
                        Expression(value);
                    }

                    break;
            }
        }

        private static string Key(TableName name) => name.Key.Replace("`", string.Empty, StringComparison.Ordinal);

        private void Query(Query query, bool main = false)
        {
            foreach (var cte in query.With)
            {
                _ctes.Add(cte.Name);
            }

            foreach (var cte in query.With)
            {
                Query(cte.Query);
            }

            QueryBody(query.Body, main);
            foreach (var item in query.OrderBy)
            {
                Expression(item.Expr);
            }
        }

        private void QueryBody(QueryExpr body, bool main)
        {
            switch (body)
            {
                case Select select:
                    SelectBlock(select, main);
                    break;
                case SetOperation set:
                    QueryBody(set.Left, main);
                    QueryBody(set.Right, false);
                    break;
                case Query nested:
                    Query(nested, main);
                    break;
                case ValuesQuery values:
                    foreach (var row in values.Rows)
                    {
                        foreach (var value in row)
                        {
                            Expression(value);
                        }
                    }

                    break;
            }
        }

        private void SelectBlock(Select select, bool main)
        {
            var aliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var whereJoins = JoinsInWhere(select.Where);
            if (select.From.Count > 1 && !whereJoins)
            {
                Findings.Add(new SqlFinding("cross_join", select.From[1].Span.Line, "comma join without a join condition in WHERE"));
            }

            var outer = _whereJoins;
            _whereJoins = whereJoins;
            foreach (var relation in select.From)
            {
                Relation(relation, aliases);
            }

            _whereJoins = outer;

            foreach (var item in select.Items)
            {
                if (item is Star star)
                {
                    Findings.Add(new SqlFinding("select_star", star.Span.Line, star.Qualifier.IsEmpty ? "*" : string.Join(".", star.Qualifier.Select(q => q.Text)) + ".*"));
                }

                Expression(item);
            }

            Expression(select.Where);
            if (select.GroupBy is { } groupBy)
            {
                if (main)
                {
                    Findings.Add(new SqlFinding("group_by", select.Span.Line, string.Empty));
                }

                foreach (var key in groupBy.Expressions)
                {
                    Expression(key);
                }
            }

            Expression(select.Having);
            Expression(select.Qualify);
            if (main)
            {
                Output = [.. select.Items.Where(i => i is not Star).Select(i => ResolveViews(OutputColumn(i, aliases)))];
                OpenOutput = select.Items.Any(i => i is Star);
                if (OpenOutput)
                {
                    Output = Output.AddRange(aliases.Values.Distinct().SelectMany(t => _views.TryGetValue(t, out var viewColumns) ? viewColumns : [new SqlOutputColumn("*", [new ColumnRef(t, "*")], false, false)]));
                }
            }
        }

        private bool WrittenEarlier(string table)
        {
            var key = Bare(table);
            return Writes.Any(w => Bare(w.Table) == key) || _declared.Contains(key);
        }

        /// <summary>DLT's LIVE schema is the pipeline itself.</summary>
        private static string Bare(string table)
        {
            var name = table.Replace("`", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
            return name.StartsWith("live.", StringComparison.Ordinal) ? name[5..] : name;
        }

        /// <summary>The WHERE of the SELECT being read joins its relations.</summary>
        private bool _whereJoins;

        /// <summary>Tables declared by CREATE without a query (a DLT streaming table that APPLY CHANGES fills).</summary>
        private readonly HashSet<string> _declared = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>A WHERE with an equality or range between columns of two relations
        /// (<c>a.id = b.id</c>): the comma join is an inner join written the old way.</summary>
        private static bool JoinsInWhere(Expr? where)
        {
            var stack = new Stack<Expr>();
            if (where is not null)
            {
                stack.Push(where);
            }

            while (stack.Count > 0)
            {
                switch (stack.Pop())
                {
                    case Binary { Op: BinaryOp.And or BinaryOp.Or } logical:
                        stack.Push(logical.Left);
                        stack.Push(logical.Right);
                        break;
                    case Binary { Left: SqlColumn left, Right: SqlColumn right }
                        when left.Parts.Count < 2 || right.Parts.Count < 2
                            || !string.Equals(left.Parts[^2].Text, right.Parts[^2].Text, StringComparison.OrdinalIgnoreCase):
                        return true;
                    case Between between when between.Operand is SqlColumn && (between.Low is SqlColumn || between.High is SqlColumn):
                        return true;
                }
            }

            return false;
        }

        /// <summary>Replaces columns of temp views created earlier in the same text by their sources.</summary>
        private SqlOutputColumn ResolveViews(SqlOutputColumn column)
        {
            var sources = new List<ColumnRef>();
            var aggregated = column.Aggregated;
            var computed = column.Computed;
            foreach (var source in column.Sources)
            {
                if (!_views.TryGetValue(source.Table, out var viewColumns))
                {
                    sources.Add(source);
                    continue;
                }

                var match = viewColumns.FirstOrDefault(v => v.Name == source.Column);
                if (match is not null)
                {
                    sources.AddRange(match.Sources);
                    aggregated |= match.Aggregated;
                    computed |= match.Computed;
                }
                else
                {
                    sources.AddRange(viewColumns.Where(v => v.Name == "*").SelectMany(v => v.Sources).Select(s => s with { Column = source.Column }));
                }
            }

            return column with { Sources = [.. sources.Distinct()], Aggregated = aggregated, Computed = computed };
        }

        private static SqlOutputColumn OutputColumn(Expr item, Dictionary<string, string> aliases)
        {
            var (expr, name) = item is Alias alias ? (alias.Operand, alias.Name) : (item, item is SqlColumn c ? c.Name : "_expr");
            var refs = new List<ColumnRef>();
            var aggregated = false;
            Collect(expr, refs, aliases, ref aggregated);
            return new SqlOutputColumn(name.ToLowerInvariant(), [.. refs.Distinct()], aggregated, expr is not SqlColumn);
        }

        private static void Collect(Expr? expr, List<ColumnRef> refs, Dictionary<string, string> aliases, ref bool aggregated)
        {
            switch (expr)
            {
                case null:
                    return;
                case SqlColumn column:
                    var parts = column.Parts.Select(p => p.Text.ToLowerInvariant()).ToArray();
                    if (parts.Length >= 2 && aliases.TryGetValue(parts[^2], out var table))
                    {
                        refs.Add(new ColumnRef(table, parts[^1]));
                    }
                    else
                    {
                        var tables = aliases.Values.Distinct().ToArray();
                        refs.AddRange(tables.Select(t => new ColumnRef(t, parts[^1])));
                    }

                    return;
                case FunctionCall call:
                    aggregated |= call.Over is null && FunctionCatalogNames.IsAggregate(call.Key);
                    foreach (var arg in call.Args)
                    {
                        Collect(arg, refs, aliases, ref aggregated);
                    }

                    return;
                case Binary binary:
                    Collect(binary.Left, refs, aliases, ref aggregated);
                    Collect(binary.Right, refs, aliases, ref aggregated);
                    return;
                case Unary unary:
                    Collect(unary.Operand, refs, aliases, ref aggregated);
                    return;
                case Cast cast:
                    Collect(cast.Operand, refs, aliases, ref aggregated);
                    return;
                case Case @case:
                    Collect(@case.Operand, refs, aliases, ref aggregated);
                    foreach (var when in @case.Whens)
                    {
                        Collect(when.Condition, refs, aliases, ref aggregated);
                        Collect(when.Result, refs, aliases, ref aggregated);
                    }

                    Collect(@case.Else, refs, aliases, ref aggregated);
                    return;
                case Alias alias:
                    Collect(alias.Operand, refs, aliases, ref aggregated);
                    return;
                case IsNull isNull:
                    Collect(isNull.Operand, refs, aliases, ref aggregated);
                    return;
                default:
                    return;
            }
        }

        private void Relation(Relation relation, Dictionary<string, string>? aliases = null)
        {
            switch (relation)
            {
                case TableRef table:
                    var key = Key(table.Name);
                    if (table.TimeTravel is { } travel)
                    {
                        Versions[key] = (travel.ByVersion ? "version " : "timestamp ") + (travel.Value is Literal literal ? literal.Value : Describe(travel.Value));
                    }

                    if (_views.ContainsKey(key) && aliases is not null)
                    {
                        aliases[table.Alias ?? table.Name.Name] = key;
                        aliases[key] = key;
                    }

                    // A table an earlier statement of the same text wrote (a DLT pipeline, a
                    // staging step) is the text's own output, not a source.
                    if (!_ctes.Contains(key) && !_views.ContainsKey(key) && !table.Name.Parts.Items.All(p => p.IsPlaceholder) && !WrittenEarlier(key))
                    {
                        Reads.Add(key);
                        if (aliases is not null)
                        {
                            aliases[table.Alias ?? table.Name.Name] = key;
                            aliases[key] = key;
                        }
                    }

                    break;
                case JoinRelation join:
                    Relation(join.Left, aliases);
                    Relation(join.Right, aliases);
                    // JOIN without ON whose condition is in WHERE is an inner join written the old way.
                    var conditionless = join.On is null && join.Using.IsEmpty && !join.Natural && !(join.Kind != JoinKind.Cross && _whereJoins);
                    if (join.Kind == JoinKind.Cross || conditionless)
                    {
                        Findings.Add(new SqlFinding("cross_join", join.Right.Span.Line, "join without a condition"));
                    }
                    else
                    {
                        var right = join.Right is TableRef rightTable ? Key(rightTable.Name) : "subquery";
                        var left = join.Left is TableRef leftTable ? Key(leftTable.Name) : "subquery";
                        Findings.Add(new SqlFinding("join", join.Right.Span.Line, $"{join.Kind}|{left}|{right}|{string.Join(",", join.Using)}"));
                    }

                    Expression(join.On);
                    break;
                case TableFunction { Call: { Args.Count: 1 } call } when call.Name.Equals("stream", StringComparison.OrdinalIgnoreCase) && call.Args[0] is SqlColumn streamed:
                    // DLT: FROM STREAM(live.source) reads the source table.
                    var streamKey = string.Join(".", streamed.Parts.Select(p => p.Text)).Replace("`", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
                    if (!WrittenEarlier(streamKey))
                    {
                        Reads.Add(streamKey);
                    }

                    if (aliases is not null)
                    {
                        aliases[relation.Alias ?? streamed.Name] = streamKey;
                        aliases[streamKey] = streamKey;
                    }

                    break;
                case DerivedTable derived:
                    Query(derived.Query);
                    if (aliases is not null && derived.Alias is { } alias)
                    {
                        aliases[alias] = "subquery:" + alias;
                    }

                    break;
            }
        }

        private void Expression(Expr? expr)
        {
            switch (expr)
            {
                case null:
                    return;
                case Binary binary:
                    if (binary.Op == BinaryOp.IntDivide)
                    {
                        Findings.Add(new SqlFinding("integer_division", binary.Span.Line, "DIV"));
                    }

                    if (binary.Op is BinaryOp.Eq or BinaryOp.EqEq or BinaryOp.NotEq or BinaryOp.BangEq
                        && (IsFractional(binary.Left) || IsFractional(binary.Right)))
                    {
                        Findings.Add(new SqlFinding("float_equality", binary.Span.Line, "exact comparison with a fractional literal"));
                    }

                    if (binary.Op is BinaryOp.Gt or BinaryOp.Lt or BinaryOp.GtEq or BinaryOp.LtEq)
                    {
                        Findings.Add(new SqlFinding("range_" + binary.Op.ToString().ToLowerInvariant(), binary.Span.Line, Describe(binary.Right)));
                    }

                    Expression(binary.Left);
                    Expression(binary.Right);
                    return;
                case Between between:
                    if (between.Low is FunctionCall { Key: "date_sub" or "date_add" or "dateadd" } low && low.Args.Count > 0
                        && Describe(low.Args[0]) == Describe(between.High))
                    {
                        Findings.Add(new SqlFinding("between_inclusive_window", between.Span.Line, $"BETWEEN {low.Name}(x, n) AND x includes n + 1 days"));
                    }

                    Expression(between.Operand);
                    Expression(between.Low);
                    Expression(between.High);
                    return;
                case FunctionCall call:
                    if (call.Over is { } over && over.PartitionBy.IsEmpty && over.BaseName is null)
                    {
                        Findings.Add(new SqlFinding("window_without_partition", call.Span.Line, call.Name));
                    }

                    if (call.Key == "bround")
                    {
                        Findings.Add(new SqlFinding("round_half_even", call.Span.Line, "bround"));
                    }

                    foreach (var arg in call.Args)
                    {
                        Expression(arg);
                    }

                    return;
                case Unary unary:
                    Expression(unary.Operand);
                    return;
                case Cast cast:
                    Expression(cast.Operand);
                    return;
                case Alias alias:
                    Expression(alias.Operand);
                    return;
                case Case @case:
                    Expression(@case.Operand);
                    foreach (var when in @case.Whens)
                    {
                        Expression(when.Condition);
                        Expression(when.Result);
                    }

                    Expression(@case.Else);
                    return;
                case IsNull isNull:
                    Expression(isNull.Operand);
                    return;
                case InList inList:
                    Expression(inList.Operand);
                    return;
                case Like like:
                    Expression(like.Operand);
                    return;
                case ScalarSubquery subquery:
                    Query(subquery.Query);
                    return;
                case Exists exists:
                    Query(exists.Query);
                    return;
                case InSubquery inSubquery:
                    Expression(inSubquery.Operand);
                    Query(inSubquery.Query);
                    return;
                default:
                    return;
            }
        }

        private static bool IsFractional(Expr expr) =>
            expr is Literal { Kind: LiteralKind.Decimal or LiteralKind.Double or LiteralKind.Float } literal && literal.Value.Contains('.', StringComparison.Ordinal);

        private static string Describe(Expr expr) => expr switch
        {
            SqlColumn column => string.Join(".", column.Parts.Select(p => p.ToString())).ToLowerInvariant(),
            Literal literal => "'" + literal.Value + "'",
            Placeholder placeholder => "${" + placeholder.Name + "}",
            FunctionCall call => call.Key + "(" + string.Join(", ", call.Args.Select(Describe)) + ")",
            _ => expr.GetType().Name,
        };
    }
}

/// <summary>Aggregate function names of Spark SQL (for output-column lineage subtypes).</summary>
internal static class FunctionCatalogNames
{
    private static readonly HashSet<string> Aggregates = new(StringComparer.OrdinalIgnoreCase)
    {
        "sum", "count", "avg", "mean", "min", "max", "first", "last", "collect_list", "collect_set", "stddev", "variance",
        "approx_count_distinct", "count_if", "any_value", "max_by", "min_by", "percentile", "percentile_approx", "median",
        "bool_and", "bool_or", "every", "some", "sum_distinct",
    };

    public static bool IsAggregate(string name) => Aggregates.Contains(name);
}
