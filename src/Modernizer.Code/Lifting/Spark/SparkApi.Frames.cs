using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Spark;

/// <summary>DataFrame methods, each one a plan operator with PySpark's column rules (withColumn
/// replaces in place, join on names keeps one copy of the keys, groupBy keys come first...).</summary>
internal sealed partial class SparkApi
{
    private PyValue? FrameAttribute(DataFrameValue value, string name, PyNode site)
    {
        var frame = value.Frame;
        PyBuiltin Method(Func<CallArguments, PyValue> body) => new("DataFrame." + name, body);
        List<PyValue> Items(CallArguments a) =>
            a.Positional.Length == 1 && a.Positional[0] is PyList or PyTuple ? Iteration.TryConcrete(a.Positional[0], interpreter, a.Site)! : [.. a.Positional];

        switch (name)
        {
            case "select":
                return Method(a => Select(frame, Items(a), a.Site));
            case "selectExpr":
                return Method(a => Select(frame, [.. Items(a).Select(i => i is PyStr s ? (PyValue)new ColumnValue(Parse(s.Value, a.Site)) { Name = ExprName(s.Value) } : i)], a.Site));
            case "filter" or "where":
                return Method(a => Filter(value, a.Arg(0) is PyStr text ? new ColumnValue(Parse(text.Value, a.Site)) : ColumnOf(a.Arg(0)!, a.Site), a.Site));
            case "withColumn":
                return Method(a => WithColumns(frame, [(Text(a.Arg(0)!, a.Site), ColumnOf(a.Arg(1)!, a.Site))], a.Site));
            case "withColumns":
                return Method(a => a.Arg(0) is PyDict map
                    ? WithColumns(frame, [.. map.Entries.Select(e => (Text(e.Key, a.Site), ColumnOf(e.Value, a.Site)))], a.Site)
                    : throw interpreter.Refuse("withColumns of a non-dict", a.Site));
            case "withColumnRenamed":
                return Method(a => Rename(frame, Text(a.Arg(0)!, a.Site), Text(a.Arg(1)!, a.Site)));
            case "drop":
                return Method(a => Drop(frame, Items(a), a.Site));
            case "join":
                return Method(a => Join(frame, a.Arg(0, "other")!, a.Arg(1, "on"), a.Arg(2, "how"), a.Site));
            case "crossJoin":
                return Method(a => Join(frame, a.Arg(0)!, null, new PyStr("cross"), a.Site));
            case "groupBy" or "groupby":
                return Method(a => SparkObject.Of("GroupedData").With("frame", frame).With("keys", Items(a).Select(i => ColumnOf(i, a.Site)).ToImmutableArray()));
            case "agg":
                return Method(a => Aggregate(frame, [], [.. a.Positional.Select(p => ColumnOf(p, a.Site))], a.Site));
            case "orderBy" or "sort":
                return Method(a => OrderBy(frame, Items(a), a.Keywords.TryGetValue("ascending", out var asc) ? asc : null, a.Site));
            case "limit":
                return Method(a => new DataFrameValue(frame with { Plan = new Limit(OrderedPlan(frame), Sql.Syntax.Literal.Of((long)((PyInt)a.Arg(0)!).Value)) }));
            case "distinct":
                return Method(_ => new DataFrameValue(frame with { Plan = new Distinct(frame.Plan), Order = new RowOrder.Undefined("distinct()") }));
            case "dropDuplicates" or "drop_duplicates":
                return Method(a => DropDuplicates(frame, a.Arg(0, "subset"), a.Site));
            case "union" or "unionAll" or "unionByName":
                return Method(a => Union(frame, a.Arg(0)!, byName: name == "unionByName", a.Keywords.TryGetValue("allowMissingColumns", out var allow) && Truth.TryConcrete(allow) == true, a.Site));
            case "alias":
                return Method(a => new DataFrameValue(frame with { Columns = [.. frame.Columns.Select(c => c with { Qualifier = Text(a.Arg(0)!, a.Site) })] }));
            case "cache" or "persist" or "unpersist" or "repartition" or "coalesce" or "hint" or "localCheckpoint" or "checkpoint" or "repartitionByRange" or "sortWithinPartitions":
                return Method(_ => value);
            case "count":
                return Method(a => Count(frame, a.Site));
            case "isEmpty":
                return Method(_ => new SqlScalar(new Unary(UnaryOp.Not, new PlanSubquery(SubqueryKind.Exists, frame.Plan)), PyKind.Bool, false));
            case "collect" or "toLocalIterator" or "toPandas" or "take" or "head" or "tail":
                return Method(a => Collect(frame, name, a));
            case "first":
                return Method(a => RowOf(new CollectedRows(frame, "first"), DriverInterpreter.Int(0), a.Site));
            case "show" or "printSchema" or "explain" or "display" or "describe" or "summary":
                return Method(_ => PyNone.Instance);
            case "createOrReplaceTempView" or "createTempView" or "createOrReplaceGlobalTempView" or "registerTempTable":
                return Method(a =>
                {
                    interpreter.Translation.Sql.RegisterView(Text(a.Arg(0)!, a.Site), frame.Visible());
                    return PyNone.Instance;
                });
            case "write":
                return SparkObject.Of("DataFrameWriter").With("frame", frame).With("mode", "errorifexists");
            case "columns":
                return new PyList(frame.Columns.Select(c => (PyValue)new PyStr(c.Name)));
            case "dtypes":
                return new PyList(frame.Columns.Select(c => (PyValue)new PyTuple([new PyStr(c.Name), new PyStr(c.Type.SqlText.ToLowerInvariant())])));
            case "schema":
                return new TypeValue(SparkType.Unknown, [.. frame.Columns.Select(c => new SchemaColumn(c.Name, c.Type, c.Nullable))]);
            case "fillna":
                return Method(a => FillNa(frame, a.Arg(0, "value")!, a.Arg(1, "subset"), a.Site));
            case "na":
                return new PyObject("DataFrameNaFunctions", attr => attr == "fill" ? new PyBuiltin("na.fill", a => FillNa(frame, a.Arg(0, "value")!, a.Arg(1, "subset"), a.Site)) : null);
            case "transform":
                return Method(a => interpreter.Invoke(a.Arg(0)!, a with { Positional = [value, .. a.Positional.Skip(1)] }));
            case "rdd" or "foreach" or "foreachPartition" or "mapInPandas" or "groupByKey":
                throw interpreter.Refuse($"DataFrame.{name} (row-by-row Python on the executors)", site);
            default:
                var column = frame.Columns.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
                return column.Count == 1 ? new ColumnValue(ColumnRefs.ByOrigin(column[0].Origin, column[0].Name)) { Name = column[0].Name } : null;
        }
    }

    private static string ExprName(string sql)
    {
        var alias = sql.LastIndexOf(" as ", StringComparison.OrdinalIgnoreCase);
        return alias > 0 ? sql[(alias + 4)..].Trim().Trim('`') : sql;
    }

    public DataFrameValue Filter(DataFrameValue value, ColumnValue condition, PyNode site)
    {
        var frame = value.Frame;
        var predicate = Resolve(condition.Expr, frame, site);
        if (TypeInference.TypeOf(predicate) is not (BooleanType or UnknownType or NullType))
        {
            throw interpreter.Refuse("a filter whose condition is not a boolean", site);
        }

        return new DataFrameValue(frame with { Plan = new Filter(frame.Plan, predicate) });
    }

    /// <summary>select(): each item a column (by name, a Column, "*"); window functions are computed by a
    /// Window operator first.</summary>
    private DataFrameValue Select(Frame frame, List<PyValue> items, PyNode site)
    {
        var outputs = new List<(string Name, Expr Expr, long? Origin)>();
        foreach (var item in items)
        {
            var column = ColumnOf(item, site);
            if (column.Expr is Star)
            {
                outputs.AddRange(frame.Columns.Select(c => (c.Name, (Expr)c.Reference, (long?)c.Origin)));
                continue;
            }

            var resolved = Resolve(column.Expr, frame, site);
            long? keep = null;
            if (column.Expr is ColumnRef && resolved is ColumnRef { Binding: { } binding }
                && frame.Columns.FirstOrDefault(c => c.Key == binding.Column) is { } source
                && (column.Name is null || string.Equals(column.Name, source.Name, StringComparison.OrdinalIgnoreCase)))
            {
                // A column passed through keeps its identity (df["x"] still finds it).
                keep = source.Origin;
            }

            outputs.Add((AutoName(column, resolved), resolved, keep));
        }

        return new DataFrameValue(Project(frame, outputs, site));
    }

    /// <summary>A projection with PySpark's names; columns passed through keep their identity.</summary>
    private Frame Project(Frame frame, List<(string Name, Expr Expr, long? Origin)> outputs, PyNode site)
    {
        var (input, exprs) = WithWindows(frame, [.. outputs.Select(o => o.Expr)], site);
        var keys = new List<string>();
        var projected = new List<Expr>();
        var columns = ImmutableArray.CreateBuilder<FrameColumn>();
        for (var i = 0; i < outputs.Count; i++)
        {
            var (name, _, origin) = outputs[i];
            var expr = exprs[i];
            var key = FrameIds.UniqueKey(name, keys);
            keys.Add(key);
            projected.Add(expr is ColumnRef { Binding: { } b } && b.Column == key ? expr : new Alias(expr, key));
            var typed = TypeInference.Infer(expr);
            var source = origin is { } o ? frame.FindOrigin(o) : null;
            columns.Add(new FrameColumn(name, key, typed.Type, typed.Nullable, origin ?? interpreter.Ids.NewOrigin()) { Qualifier = source?.Qualifier });
        }

        return new Frame(new Project(input, [.. projected]), columns.ToImmutable(), frame.Order);
    }

    /// <summary>Window functions inside expressions become columns of a Window operator under the projection.</summary>
    private (PlanNode Input, List<Expr> Expressions) WithWindows(Frame frame, List<Expr> expressions, PyNode site)
    {
        var windows = new List<Expr>();
        var keys = frame.Columns.Select(c => c.Key).ToList();
        var rewritten = expressions.Select(expr => ExprTree.TransformUp(expr, e =>
        {
            if (e is not FunctionCall { Over: not null } call)
            {
                return null;
            }

            var key = FrameIds.UniqueKey("_w" + (windows.Count + 1).ToString(CultureInfo.InvariantCulture), keys);
            keys.Add(key);
            windows.Add(new Alias(call, key));
            var typed = TypeInference.Infer(call);
            return new ColumnRef([new NamePart(key)]) { Binding = new ColumnBinding(null, key, typed.Type, typed.Nullable) };
        }).Value).ToList();
        return (windows.Count == 0 ? frame.Plan : new Window(frame.Plan, [.. windows]), rewritten);
    }

    /// <summary>withColumn: replaces a column of the same name in place, else appends.</summary>
    private DataFrameValue WithColumns(Frame frame, List<(string Name, ColumnValue Column)> additions, PyNode site)
    {
        var current = frame;
        foreach (var (name, column) in additions)
        {
            var resolved = Resolve(column.Expr, current, site);
            var outputs = current.Columns.Select(c => (c.Name, (Expr)c.Reference, (long?)c.Origin)).ToList();
            var index = outputs.FindIndex(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
            {
                outputs[index] = (name, resolved, null);
            }
            else
            {
                outputs.Add((name, resolved, null));
            }

            current = Project(current, outputs, site);
        }

        return new DataFrameValue(current);
    }

    private DataFrameValue Rename(Frame frame, string from, string to) =>
        new(frame with { Columns = [.. frame.Columns.Select(c => string.Equals(c.Name, from, StringComparison.OrdinalIgnoreCase) ? c with { Name = to } : c)] });

    private DataFrameValue Drop(Frame frame, List<PyValue> items, PyNode site)
    {
        var dropped = new HashSet<long>();
        foreach (var item in items)
        {
            switch (item)
            {
                case PyStr name:
                    foreach (var column in frame.Columns.Where(c => string.Equals(c.Name, name.Value, StringComparison.OrdinalIgnoreCase)))
                    {
                        dropped.Add(column.Origin);
                    }

                    break;
                case ColumnValue { Expr: ColumnRef reference } when ColumnRefs.Origin(reference) is { } origin:
                    dropped.Add(origin);
                    break;
                default:
                    throw interpreter.Refuse("drop() of an expression", site);
            }
        }

        var kept = frame.Columns.Where(c => !dropped.Contains(c.Origin)).Select(c => (c.Name, (Expr)c.Reference, (long?)c.Origin)).ToList();
        return new DataFrameValue(Project(frame, kept, site));
    }

    private DataFrameValue Join(Frame left, PyValue otherValue, PyValue? on, PyValue? how, PyNode site)
    {
        var right = otherValue is DataFrameValue other ? other.Frame : throw interpreter.Refuse("join with a non-DataFrame", site);
        var type = (how as PyStr)?.Value.ToLowerInvariant().Replace("_", string.Empty, StringComparison.Ordinal) switch
        {
            null or "inner" => JoinType.Inner,
            "left" or "leftouter" => JoinType.LeftOuter,
            "right" or "rightouter" => JoinType.RightOuter,
            "full" or "outer" or "fullouter" => JoinType.FullOuter,
            "cross" => JoinType.Cross,
            "semi" or "leftsemi" => JoinType.LeftSemi,
            "anti" or "leftanti" => JoinType.LeftAnti,
            var unknown => throw interpreter.Refuse($"the join type {unknown}", site),
        };

        // The right side's keys must not collide with the left's in one plan.
        var taken = left.Columns.Select(c => c.Key).ToList();
        var renames = new List<Expr>();
        var rightColumns = new List<FrameColumn>();
        foreach (var column in right.Columns)
        {
            var key = FrameIds.UniqueKey(column.Key, taken);
            taken.Add(key);
            rightColumns.Add(column with { Key = key });
            renames.Add(key == column.Key ? column.Reference : new Alias(column.Reference, key));
        }

        var rightPlan = rightColumns.Zip(right.Columns).All(p => p.First.Key == p.Second.Key) ? right.Plan : new Project(right.Plan, [.. renames]);
        var both = new Frame(left.Plan, [.. left.Columns, .. rightColumns], left.Order);
        var nullableLeft = type is JoinType.RightOuter or JoinType.FullOuter;
        var nullableRight = type is JoinType.LeftOuter or JoinType.FullOuter;
        FrameColumn L(FrameColumn c) => nullableLeft ? c with { Nullable = true } : c;
        FrameColumn R(FrameColumn c) => nullableRight ? c with { Nullable = true } : c;
        var order = new RowOrder.Undefined("a join");

        var names = on switch
        {
            PyStr s => [s.Value],
            PyList or PyTuple when Iteration.TryConcrete(on, interpreter, site)!.All(i => i is PyStr) => Iteration.TryConcrete(on, interpreter, site)!.Select(i => ((PyStr)i).Value).ToList(),
            _ => null,
        };

        if (names is not null)
        {
            // USING semantics: one copy of each key (the left one; coalesced for a full join), then the
            // left's other columns, then the right's.
            var pairs = names.Select(n =>
            {
                var l = left.Columns.Where(c => string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase)).ToList();
                var r = rightColumns.Where(c => string.Equals(c.Name, n, StringComparison.OrdinalIgnoreCase)).ToList();
                return l.Count == 1 && r.Count == 1 ? (Left: l[0], Right: r[0]) : throw interpreter.Refuse($"the join key '{n}' (missing or ambiguous on one side)", site);
            }).ToList();
            var condition = pairs.Select(p => (Expr)new Binary(BinaryOp.Eq, p.Left.Reference, p.Right.Reference)).Aggregate((a, b) => new Binary(BinaryOp.And, a, b));
            var joined = new Join(left.Plan, rightPlan, type, condition);
            var outputs = new List<Expr>();
            var columns = ImmutableArray.CreateBuilder<FrameColumn>();
            foreach (var (l, r) in pairs)
            {
                var key = type switch
                {
                    JoinType.RightOuter => (Expr)r.Reference,
                    JoinType.FullOuter => new FunctionCall("coalesce", [l.Reference, r.Reference]),
                    _ => l.Reference,
                };
                outputs.Add(key is ColumnRef { Binding: { } kb } && kb.Column == l.Key ? key : new Alias(key, l.Key));
                var typed = TypeInference.Infer(key);
                columns.Add(new FrameColumn(l.Name, l.Key, typed.Type, typed.Nullable, type == JoinType.RightOuter ? r.Origin : l.Origin) { Qualifier = l.Qualifier });
            }

            var usedLeft = pairs.Select(p => p.Left.Origin).ToHashSet();
            var usedRight = pairs.Select(p => p.Right.Origin).ToHashSet();
            foreach (var column in left.Columns.Where(c => !usedLeft.Contains(c.Origin)))
            {
                outputs.Add(column.Reference);
                columns.Add(L(column));
            }

            if (type is not (JoinType.LeftSemi or JoinType.LeftAnti))
            {
                foreach (var column in rightColumns.Where(c => !usedRight.Contains(c.Origin)))
                {
                    outputs.Add(column.Reference);
                    columns.Add(R(column));
                }
            }

            return new DataFrameValue(new Frame(new Project(joined, [.. outputs]), columns.ToImmutable(), order));
        }

        Expr? condition2 = on switch
        {
            null or PyNone => null,
            ColumnValue column => Resolve(column.Expr, both, site),
            PyList or PyTuple => Iteration.TryConcrete(on, interpreter, site)!.Select(c => Resolve(ColumnOf(c, site).Expr, both, site)).Aggregate((a, b) => new Binary(BinaryOp.And, a, b)),
            _ => throw interpreter.Refuse($"a join condition given as a {on.TypeName}", site),
        };
        var plan = new Join(left.Plan, rightPlan, condition2 is null && type == JoinType.Inner ? JoinType.Cross : type, condition2);
        var all = type is JoinType.LeftSemi or JoinType.LeftAnti
            ? left.Columns.ToImmutableArray()
            : [.. left.Columns.Select(L), .. rightColumns.Select(R)];
        return new DataFrameValue(new Frame(plan, all, order));
    }

    private PyValue? GroupedAttribute(SparkObject grouped, string name, PyNode site)
    {
        var frame = grouped.Get<Frame>("frame")!;
        var keys = grouped.Get<ImmutableArray<ColumnValue>>("keys");
        PyBuiltin Method(Func<CallArguments, PyValue> body) => new("GroupedData." + name, body);
        return name switch
        {
            "agg" => Method(a => a.Arg(0) is PyDict map
                ? Aggregate(frame, keys, [.. map.Entries.Select(e => new ColumnValue(new FunctionCall(Text(e.Value, a.Site), [ColumnRefs.ByName(Text(e.Key, a.Site))])) { Name = $"{Text(e.Value, a.Site)}({Text(e.Key, a.Site)})" })], a.Site)
                : Aggregate(frame, keys, [.. a.Positional.Select(p => ColumnOf(p, a.Site))], a.Site)),
            "count" => Method(a => Aggregate(frame, keys, [new ColumnValue(new FunctionCall("count", [Sql.Syntax.Literal.Of(1)])) { Name = "count" }], a.Site)),
            "sum" or "max" or "min" or "avg" or "mean" => Method(a => Aggregate(frame, keys, [.. a.Positional.Select(p => new ColumnValue(new FunctionCall(name == "mean" ? "avg" : name, [ColumnRefs.ByName(Text(p, a.Site))])) { Name = $"{(name == "mean" ? "avg" : name)}({Text(p, a.Site)})" })], a.Site)),
            "pivot" or "applyInPandas" or "apply" => Method(a => throw interpreter.Refuse($"GroupedData.{name}", a.Site)),
            _ => null,
        };
    }

    /// <summary>groupBy(keys).agg(...): the keys (same identity) then the aggregates.</summary>
    private DataFrameValue Aggregate(Frame frame, ImmutableArray<ColumnValue> keys, List<ColumnValue> aggregates, PyNode site)
    {
        var keyExprs = keys.IsDefault ? [] : keys.Select(k => Resolve(k.Expr, frame, site)).ToList();
        var outputs = new List<Expr>();
        var columns = ImmutableArray.CreateBuilder<FrameColumn>();
        var names = new List<string>();
        for (var i = 0; i < keyExprs.Count; i++)
        {
            var key = keyExprs[i];
            var source = key is ColumnRef { Binding: { } b } ? frame.Columns.FirstOrDefault(c => c.Key == b.Column) : null;
            var name = AutoName(keys[i], key);
            var outputKey = FrameIds.UniqueKey(source?.Key ?? name, names);
            names.Add(outputKey);
            outputs.Add(key is ColumnRef { Binding: { } kb } && kb.Column == outputKey ? key : new Alias(key, outputKey));
            var typed = TypeInference.Infer(key);
            columns.Add(new FrameColumn(name, outputKey, typed.Type, typed.Nullable, source?.Origin ?? interpreter.Ids.NewOrigin()) { Qualifier = source?.Qualifier });
        }

        var input = frame.Plan;
        ColumnRef? position = null;
        foreach (var aggregate in aggregates)
        {
            var resolved = Resolve(aggregate.Expr, frame, site);
            if (OrderedDoubleSums(resolved, frame, ref input, ref position, site) is { } ordered)
            {
                var autoName = AutoName(aggregate, resolved);
                var orderedKey = FrameIds.UniqueKey(autoName, names);
                names.Add(orderedKey);
                outputs.Add(new Alias(ordered, orderedKey));
                var orderedType = TypeInference.Infer(ordered);
                columns.Add(new FrameColumn(autoName, orderedKey, orderedType.Type, true, interpreter.Ids.NewOrigin()));
                continue;
            }

            var name = AutoName(aggregate, resolved);
            var outputKey = FrameIds.UniqueKey(name, names);
            names.Add(outputKey);
            outputs.Add(new Alias(resolved, outputKey));
            var typed = TypeInference.Infer(resolved);
            columns.Add(new FrameColumn(name, outputKey, typed.Type, typed.Nullable, interpreter.Ids.NewOrigin()));
        }

        var plan = new Plan.Aggregate(input, [.. keyExprs], [.. outputs]);
        return new DataFrameValue(new Frame(plan, columns.ToImmutable(), new RowOrder.Undefined("groupBy")));
    }

    /// <summary>sum/avg of doubles depend on the order of the additions: Spark adds a group's values in
    /// the order it reads the rows (one partition: the file's order). Both renderings add them in that
    /// order, sequentially, so the DuckDB validation computes the same bits.</summary>
    private Expr? OrderedDoubleSums(Expr expr, Frame frame, ref PlanNode input, ref ColumnRef? position, PyNode site)
    {
        var found = ExprTree.Descendants(expr).Prepend(expr).OfType<FunctionCall>()
            .Any(c => c.Key is "sum" or "avg" && c.Over is null && !c.Distinct && c.Args.Count == 1 && TypeInference.TypeOf(c.Args[0]) is FractionalType);
        if (!found)
        {
            return null;
        }

        if (position is null)
        {
            if (frame.Order is not RowOrder.Physical physical)
            {
                throw interpreter.Refuse("a sum of doubles over rows Spark reads in no defined order (after a join or shuffle)", site);
            }

            interpreter.Translation.Assume(new RewriteAssumption("double-sum-order-" + physical.Table.Replace(' ', '_'),
                $"Spark adds the doubles of each group in the order it reads {physical.Table} (its files in log order, rows in file order); the rewrite adds them sequentially in that order.",
                0.75, null, null, interpreter.File, interpreter.LineOf(site)));
            input = Rows.RowSets.AddPosition(input, interpreter, site);
            position = new ColumnRef([new NamePart(Rows.RowSets.ScanPosition)]) { Binding = new ColumnBinding(null, Rows.RowSets.ScanPosition, SparkType.Long, false) };
        }

        var pos = position;
        return ExprTree.TransformUp(expr, e =>
        {
            if (e is not FunctionCall { Key: "sum" or "avg", Over: null, Distinct: false, Args.Count: 1 } call || TypeInference.TypeOf(call.Args[0]) is not FractionalType)
            {
                return null;
            }

            var value = new Cast(call.Args[0], SparkType.Double);
            var present = new IsNull(call.Args[0], true);
            var count = new FunctionCall("count", [call.Args[0]]);
            var total = new FunctionCall("py_fold_sum", [value, pos, new Literal(LiteralKind.Double, "0.0e0")]) { Filter = present };
            var result = call.Key == "sum" ? (Expr)total : new Binary(BinaryOp.Divide, total, new Cast(count, SparkType.Double));
            return new Case(null, [new WhenClause(new Binary(BinaryOp.Eq, count, Sql.Syntax.Literal.Of(0)), Sql.Syntax.Literal.Null)], result);
        }).Value;
    }

    private DataFrameValue OrderBy(Frame frame, List<PyValue> items, PyValue? ascending, PyNode site)
    {
        var flags = ascending switch
        {
            null => null,
            PyBool b => Enumerable.Repeat(b.Value, items.Count).ToList(),
            PyList or PyTuple => Iteration.TryConcrete(ascending, interpreter, site)!.Select(v => Truth.TryConcrete(v) ?? true).ToList(),
            _ => null,
        };
        var keys = items.Select((item, i) =>
        {
            var sort = SortKey(item, descending: flags is not null && !flags[i], site);
            var resolved = Resolve(sort.Expr, frame, site);
            var origin = resolved is ColumnRef { Binding: { } b } ? frame.Columns.FirstOrDefault(c => c.Key == b.Column)?.Origin : null;
            return origin is null
                ? throw interpreter.Refuse("orderBy an expression (not a column)", site)
                : (origin.Value, sort.Direction, sort.Nulls);
        }).ToImmutableArray();
        return new DataFrameValue(frame with { Order = new RowOrder.Sorted(keys, frame.Order) });
    }

    /// <summary>The frame's plan with its sort applied (for a limit after orderBy).</summary>
    public PlanNode OrderedPlan(Frame frame) => frame.Order is RowOrder.Sorted sorted
        ? new Sort(frame.Plan, [.. sorted.Keys.Select(k => new SortItem(frame.FindOrigin(k.Origin)!.Reference, k.Direction, k.Nulls))])
        : frame.Order is RowOrder.Physical ? frame.Plan : throw new RewriteRefusedException("limit() on rows in no defined order", interpreter.File, frame.Plan.Span.Line);

    private DataFrameValue DropDuplicates(Frame frame, PyValue? subset, PyNode site)
    {
        var names = subset is null or PyNone ? null : Iteration.TryConcrete(subset, interpreter, site)?.Select(s => Text(s, site)).ToList();
        if (names is null || names.Count == frame.Columns.Length)
        {
            return new DataFrameValue(frame with { Plan = new Distinct(frame.Plan), Order = new RowOrder.Undefined("dropDuplicates()") });
        }

        // Spark keeps one row per key with no defined choice; the rewrite keeps the first in scan order.
        interpreter.Translation.Assume(new RewriteAssumption("drop-duplicates-choice", $"dropDuplicates({string.Join(", ", names)}) keeps, per key, the first row in the order Spark reads them (Spark defines no choice).", 0.6, "the last row", null, interpreter.File, interpreter.LineOf(site)));
        var keys = names.Select(n => frame.Find(n)?.Reference ?? throw interpreter.Refuse($"dropDuplicates on the unknown column {n}", site)).Cast<Expr>().ToEquatableArray();
        var rank = FrameIds.UniqueKey("_dedup_rank", frame.Columns.Select(c => c.Key));
        var order = Rows.RowOrders.SortItems(interpreter, frame, site);
        var window = new Window(frame.Plan, [new Alias(new FunctionCall("row_number", []) { Over = new WindowSpec(null, keys, order, null) }, rank)]);
        var filtered = new Filter(window, new Binary(BinaryOp.Eq, new ColumnRef([new NamePart(rank)]) { Binding = new ColumnBinding(null, rank, SparkType.Int, false) }, Sql.Syntax.Literal.Of(1)));
        return new DataFrameValue(frame with { Plan = new Project(filtered, [.. frame.Columns.Select(c => (Expr)c.Reference)]), Order = new RowOrder.Undefined("dropDuplicates()") });
    }

    private DataFrameValue Union(Frame left, PyValue otherValue, bool byName, bool allowMissing, PyNode site)
    {
        var right = otherValue is DataFrameValue other ? other.Frame : throw interpreter.Refuse("union with a non-DataFrame", site);
        IEnumerable<Expr> rightOutputs;
        if (byName)
        {
            rightOutputs = left.Columns.Select(c => right.Find(c.Name) is { } match
                ? (Expr)new Alias(match.Reference, c.Key)
                : allowMissing ? new Alias(new Cast(Sql.Syntax.Literal.Null, c.Type), c.Key) : throw interpreter.Refuse($"unionByName: {c.Name} is missing on the right", site));
        }
        else
        {
            if (right.Columns.Length != left.Columns.Length)
            {
                throw interpreter.Refuse("union of DataFrames with different numbers of columns", site);
            }

            rightOutputs = right.Columns.Select((c, i) => (Expr)new Alias(c.Reference, left.Columns[i].Key));
        }

        var rightPlan = new Project(right.Plan, [.. rightOutputs]);
        var plan = new Plan.Union(left.Plan, rightPlan, All: true);
        var schema = PlanSchema.Of(plan);
        var columns = left.Columns.Select((c, i) => c with { Type = schema.Columns[i].Type, Nullable = schema.Columns[i].Nullable }).ToImmutableArray();
        return new DataFrameValue(new Frame(plan, columns, new RowOrder.Undefined("union")));
    }

    private DataFrameValue FillNa(Frame frame, PyValue value, PyValue? subset, PyNode site)
    {
        var names = subset is null or PyNone ? null : subset is PyStr one ? [one.Value] : Iteration.TryConcrete(subset, interpreter, site)!.Select(s => Text(s, site)).ToList();
        var literal = Literal(value, site);
        var literalType = TypeInference.TypeOf(literal);
        var outputs = frame.Columns.Select(c =>
        {
            // fillna applies only to columns whose type matches the value's kind (numbers to numbers, text to text).
            var applies = (names is null || names.Contains(c.Name, StringComparer.OrdinalIgnoreCase))
                && ((c.Type.IsNumeric && literalType.IsNumeric) || (c.Type is StringType && literalType is StringType) || (c.Type is BooleanType && literalType is BooleanType));
            return applies
                ? (c.Name, (Expr)new FunctionCall("coalesce", [c.Reference, new Cast(literal, c.Type)]), (long?)null)
                : (c.Name, (Expr)c.Reference, (long?)c.Origin);
        }).ToList();
        return new DataFrameValue(Project(frame, outputs, site));
    }

    private PyValue Collect(Frame frame, string via, CallArguments a)
    {
        var rows = new CollectedRows(frame, via);
        if (via is "take" or "head" && a.Arg(0) is PyInt { Value.IsZero: false } n && n.Value == 1 && via == "head")
        {
            return RowOf(rows, DriverInterpreter.Int(0), a.Site);
        }

        return via is "take" or "head" or "tail" && a.Arg(0) is not null ? throw interpreter.Refuse($"{via}(n) of rows in no defined order", a.Site) : rows;
    }

    private PyValue? RowsAttribute(CollectedRows rows, string name, PyNode site) => name switch
    {
        "iterrows" => new PyBuiltin("DataFrame.iterrows", _ => rows with { Via = "iterrows" }),
        "itertuples" => new PyBuiltin("DataFrame.itertuples", _ => rows with { Via = "itertuples" }),
        "shape" or "empty" or "columns" => throw interpreter.Refuse($"pandas {name}", site),
        _ => null,
    };

    /// <summary>collect()[i]: defined only for a result of one row (an aggregate without keys).</summary>
    private PyValue RowOf(CollectedRows rows, PyValue index, PyNode site)
    {
        if (index is not PyInt { Value.IsZero: true })
        {
            throw interpreter.Refuse("a row of a collected result other than the first", site);
        }

        if (rows.Frame.Plan is not Plan.Aggregate { GroupKeys.Count: 0 })
        {
            throw interpreter.Refuse("the first row of a result of several rows in no defined order", site);
        }

        var frame = rows.Frame;
        return new RowValue(frame, [.. frame.Columns.Select(column =>
        {
            var project = new Project(frame.Plan, [column.Reference]);
            return (PyValue)new SqlScalar(new PlanSubquery(SubqueryKind.Scalar, project), PySemantics.KindOfSpark(column.Type), column.Nullable);
        })]);
    }

    private PyValue? RowFieldAttribute(RowValue row, string name, PyNode site)
    {
        var index = row.Frame.Columns.ToList().FindIndex(c => string.Equals(c.Name, name, StringComparison.Ordinal));
        return index >= 0 ? row.Fields[index] : name == "asDict" ? throw interpreter.Refuse("Row.asDict", site) : null;
    }

    /// <summary>A DataFrame chosen by a condition known only at run time: both, each filtered by its side.</summary>
    public PyValue Choose(Expr condition, DataFrameValue then, DataFrameValue otherwise, PyNode site)
    {
        var a = then.Frame;
        var b = otherwise.Frame;
        if (a.Columns.Length != b.Columns.Length || !a.Columns.Zip(b.Columns).All(p => string.Equals(p.First.Name, p.Second.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw interpreter.Refuse("a DataFrame with different columns depending on a condition known only at run time", site);
        }

        // The common case: one branch filters the other (if flag: df = df.filter(...)).
        if (a.Plan is Filter filter && ReferenceEquals(filter.Input, b.Plan) && a.Columns.SequenceEqual(b.Columns))
        {
            return new DataFrameValue(b with { Plan = new Filter(b.Plan, new Binary(BinaryOp.Or, new Unary(UnaryOp.Not, condition), filter.Predicate)) });
        }

        var aligned = new Project(b.Plan, [.. b.Columns.Select((c, i) => (Expr)new Alias(c.Reference, a.Columns[i].Key))]);
        var plan = new Plan.Union(new Filter(a.Plan, condition), new Filter(aligned, new Unary(UnaryOp.Not, condition)), All: true);
        var schema = PlanSchema.Of(plan);
        return new DataFrameValue(new Frame(plan, [.. a.Columns.Select((c, i) => c with { Type = schema.Columns[i].Type, Nullable = schema.Columns[i].Nullable })], new RowOrder.Undefined("a union")));
    }

    private PyValue? WriterAttribute(SparkObject writer, string name, PyNode site)
    {
        PyBuiltin Method(Func<CallArguments, PyValue> body) => new("DataFrameWriter." + name, body);
        return name switch
        {
            "mode" => Method(a => writer.With("mode", Text(a.Arg(0)!, a.Site).ToLowerInvariant())),
            "format" => Method(a => writer.With("format", Text(a.Arg(0)!, a.Site))),
            "option" or "options" or "bucketBy" or "sortBy" => Method(_ => writer),
            "partitionBy" => Method(a => writer.With("partitionBy", (a.Positional.Length == 1 && a.Positional[0] is PyList or PyTuple ? Iteration.TryConcrete(a.Positional[0], interpreter, a.Site)! : [.. a.Positional]).Select(p => Text(p, a.Site)).ToImmutableArray())),
            "saveAsTable" => Method(a => Save(writer with { State = writer.State.SetItem("mode", a.Keywords.TryGetValue("mode", out var m) ? Text(m, a.Site).ToLowerInvariant() : writer.Get<string>("mode")) }, Text(a.Arg(0)!, a.Site), a.Site)),
            "insertInto" => Method(a => Save(writer.With("mode", a.Arg(1, "overwrite") is PyBool { Value: true } ? "overwrite" : "append"), Text(a.Arg(0)!, a.Site), a.Site, positional: true)),
            "save" => Method(a => Save(writer, Path(a.Arg(0, "path")!, a.Site), a.Site)),
            "parquet" or "csv" or "json" or "jdbc" or "text" => Method(a => throw interpreter.Refuse($"write.{name} (an output outside the lake's tables)", a.Site)),
            _ => null,
        };
    }

    private PyValue Save(SparkObject writer, string table, PyNode site, bool positional = false)
    {
        var frame = writer.Get<Frame>("frame")!;
        var mode = writer.Get<string>("mode") ?? "errorifexists";
        var rows = frame.Visible();
        if (positional && interpreter.Translation.Schemas?.GetSchema(TableName.Of(table.Split('.'))) is { } target && target.Count == frame.Columns.Length)
        {
            rows = new Project(frame.Plan, [.. frame.Columns.Select((c, i) => (Expr)new Alias(c.Reference, target.Columns[i].Name))]);
        }

        var kind = mode switch
        {
            "overwrite" => WriteStepKind.Overwrite,
            "append" => WriteStepKind.Append,
            "errorifexists" or "error" or "default" => WriteStepKind.Overwrite,
            "ignore" => throw interpreter.Refuse("a write in mode ignore (depends on whether the table exists)", site),
            _ => throw interpreter.Refuse($"the write mode {mode}", site),
        };
        if (mode is "errorifexists" or "error" or "default" && !interpreter.Translation.Dropped(table) && interpreter.Translation.Schemas?.GetSchema(TableName.Of(table.Split('.'))) is not null)
        {
            interpreter.Translation.Assume(new RewriteAssumption("create-table-run", $"saveAsTable('{table}') without a mode fails when the table exists; the rewrite reproduces the run that creates it.", 0.8, null, null, interpreter.File, interpreter.LineOf(site)));
        }

        var partitions = writer.Get<ImmutableArray<string>>("partitionBy");
        interpreter.Translation.Write(table, new WriteStep(kind, rows, interpreter.File, interpreter.LineOf(site))
        {
            Guard = interpreter.Guard,
            PartitionBy = partitions.IsDefault ? [] : partitions,
            Checks = [.. interpreter.PendingChecks.Select(c => new RewriteCheck(c.Message, c.When, c.Line))],
        });
        return PyNone.Instance;
    }
}
