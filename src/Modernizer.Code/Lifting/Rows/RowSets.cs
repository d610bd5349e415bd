using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Lifting.Spark;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using Modernizer.Code.Sql;
using Modernizer.Code.Sql.Syntax;
using Modernizer.Code.Sql.Types;

namespace Modernizer.Code.Lifting.Rows;

/// <summary>Plan builders of the lifting rules.</summary>
internal static class RowSets
{
    internal const string ScanPosition = "__mz_scan_pos";

    private static ColumnRef Ref(string key, SparkType type, bool nullable) =>
        new([new NamePart(key)]) { Binding = new ColumnBinding(null, key, type, nullable) };

    private static FunctionCall Call(string name, params Expr[] args) => new(name, args.ToEquatableArray());

    /// <summary>When the loop's order is the scan order, the scan numbers its rows (Spark: the order the
    /// partitions are read; the DuckDB rendering: the table's row order).</summary>
    public static (Frame Frame, ImmutableArray<SortItem> Order) WithScanPosition(DriverInterpreter interpreter, Frame frame, ImmutableArray<SortItem> order, PyNode site)
    {
        if (!order.Any(o => o.Expr is FunctionCall { Name: "mz_scan_position" }))
        {
            return (frame, order);
        }

        var plan = AddPosition(frame.Plan, interpreter, site);
        var column = new FrameColumn(ScanPosition, ScanPosition, SparkType.Long, false, interpreter.Ids.NewOrigin());
        var items = order.Select(o => o.Expr is FunctionCall { Name: "mz_scan_position" } ? o with { Expr = column.Reference } : o).ToImmutableArray();
        return (frame with { Plan = plan, Columns = frame.Columns.Add(column) }, items);
    }

    internal static PlanNode AddPosition(PlanNode plan, DriverInterpreter interpreter, PyNode site)
    {
        var position = Ref(ScanPosition, SparkType.Long, false);
        switch (plan)
        {
            case Scan scan:
                return new Project(scan, [.. PlanSchema.Of(scan).Columns.Select(c => (Expr)Ref(c.Name, c.Type, c.Nullable)), new Alias(Call("mz_scan_position"), ScanPosition)]);
            case Filter filter:
                return filter with { Input = AddPosition(filter.Input, interpreter, site) };
            case Project project:
                return project with { Input = AddPosition(project.Input, interpreter, site), Expressions = project.Expressions.Add(position) };
            case Plan.Values values:
                return new Plan.Values(values.Rows.Items.Select((row, i) => row.Add(Literal.Of(i))).ToEquatableArray(), new Schema(values.Schema.Columns.Add(new SchemaColumn(ScanPosition, SparkType.Long, false))));
            case Window window:
                return window with { Input = AddPosition(window.Input, interpreter, site) };
            default:
                throw interpreter.Refuse($"rows in scan order through a {plan.GetType().Name.ToLowerInvariant()} (the order is not the scan's)", site);
        }
    }

    /// <summary>Numbers the rows in the loop's order: the column the lifting rules order by.</summary>
    public static Frame Number(DriverInterpreter interpreter, Frame frame, ImmutableArray<SortItem> order)
    {
        var call = new FunctionCall("row_number", []) { Over = new WindowSpec(null, [], [.. order], null) };
        var column = new FrameColumn(RowOrders.Position, RowOrders.Position, SparkType.Int, false, interpreter.Ids.NewOrigin());
        return frame with { Plan = new Window(frame.Plan, [new Alias(call, RowOrders.Position)]), Columns = frame.Columns.Add(column) };
    }

    private static WindowSpec Before(EquatableArray<Expr> partition, ColumnRef position) =>
        new(null, partition, [new SortItem(position, SortDirection.Ascending, NullOrdering.First)],
            new WindowFrame(FrameUnit.Rows, FrameBound.UnboundedPreceding, new FrameBound(FrameBoundKind.Preceding, Literal.Of(1))));

    /// <summary>The state of each dict key before each row (the running values a row reads), as window
    /// columns: sums over the earlier rows, the last or first value set by them, presence.</summary>
    public static Frame RunningColumns(
        DriverInterpreter interpreter, Frame frame, ColumnRef position,
        Dictionary<DictProgram, Dictionary<string, FieldFold>> folds, PyNode site, out Dictionary<string, Expr> markers)
    {
        markers = new Dictionary<string, Expr>(StringComparer.Ordinal);
        var windows = new List<Expr>();
        var afterWindows = new List<(string Key, Expr Expr)>();
        var keys = frame.Columns.Select(c => c.Key).ToList();
        string NewKey(string stem)
        {
            var key = FrameIds.UniqueKey(stem, keys);
            keys.Add(key);
            return key;
        }

        foreach (var (program, fields) in folds)
        {
            var partition = (program.Key ?? []).Select(p => p.Sql).ToEquatableArray();
            var spec = Before(partition, position);
            var presence = Presence(program);
            var hasKey = NewKey($"__mz_has_{program.Id.ToString(CultureInfo.InvariantCulture)}");
            windows.Add(new Alias(Call("count", new Case(null, [new WhenClause(presence, Literal.Of(1))], null)) with { Over = spec }, hasKey));
            markers[((ColumnRef)program.HasBefore.Sql).Parts[0].Text] = new Binary(BinaryOp.Gt, Ref(hasKey, SparkType.Long, false), Literal.Of(0));
            foreach (var (field, fold) in fields)
            {
                if (!program.Before.TryGetValue(field, out var beforeMarker))
                {
                    continue;
                }

                var markerName = ((ColumnRef)beforeMarker.Sql).Parts[0].Text;
                var value = new Case(null, [new WhenClause(fold.Guard, fold.Value)], null);
                switch (fold.Kind)
                {
                    case FieldFold.Kinds.Sum:
                        var sumKey = NewKey($"__mz_sum_{program.Id.ToString(CultureInfo.InvariantCulture)}_{field}");
                        windows.Add(new Alias(Call("sum", value) with { Over = spec }, sumKey));
                        markers[markerName] = new Binary(BinaryOp.Add, fold.Init ?? Literal.Of(0), Call("coalesce", Ref(sumKey, fold.Type, true), Literal.Of(0)));
                        break;
                    case FieldFold.Kinds.FloatSum:
                        var listKey = NewKey($"__mz_list_{program.Id.ToString(CultureInfo.InvariantCulture)}_{field}");
                        windows.Add(new Alias(Call("py_window_list", value) with { Over = spec }, listKey));
                        markers[markerName] = Call("py_fold_sum_list", Ref(listKey, SparkType.Array(SparkType.Double), true), fold.Init ?? new Literal(LiteralKind.Double, "0.0e0"));
                        break;
                    case FieldFold.Kinds.Last or FieldFold.Kinds.First:
                        var pickKey = NewKey($"__mz_pick_{program.Id.ToString(CultureInfo.InvariantCulture)}_{field}");
                        var setKey = NewKey($"__mz_set_{program.Id.ToString(CultureInfo.InvariantCulture)}_{field}");
                        var ordering = new Case(null, [new WhenClause(fold.Guard, position)], null);
                        windows.Add(new Alias(Call(fold.Kind == FieldFold.Kinds.Last ? "py_last_by" : "py_first_by", value, ordering) with { Over = spec }, pickKey));
                        windows.Add(new Alias(Call("count", new Case(null, [new WhenClause(fold.Guard, Literal.Of(1))], null)) with { Over = spec }, setKey));
                        markers[markerName] = new Case(null, [new WhenClause(new Binary(BinaryOp.Gt, Ref(setKey, SparkType.Long, false), Literal.Of(0)), Ref(pickKey, fold.Type, true))], fold.Init ?? Literal.Null);
                        break;
                    case FieldFold.Kinds.Keep:
                        markers[markerName] = fold.Init ?? Literal.Null;
                        break;
                }
            }
        }

        if (windows.Count == 0)
        {
            return frame;
        }

        var window = new Window(frame.Plan, [.. windows]);
        var schema = PlanSchema.Of(window);
        var columns = schema.Columns.Skip(frame.Columns.Length).Select(c => new FrameColumn(c.Name, c.Name, c.Type, c.Nullable, interpreter.Ids.NewOrigin()));
        return frame with { Plan = window, Columns = [.. frame.Columns, .. columns] };
    }

    /// <summary>The rows that make a key present: a write's guard with "not present yet" counted as true.</summary>
    public static Expr Presence(DictProgram program) =>
        BoolSimplifier.Simplify(ExprTree.TransformUp(program.Touched, e => e.Equals(program.HasBefore.Sql) ? Literal.Of(false) : null).Value);

    /// <summary>break: a row takes effect only when no earlier row broke.</summary>
    public static Frame Live(DriverInterpreter interpreter, Frame frame, ColumnRef position, List<Expr> breaks, out Expr live)
    {
        if (breaks.Count == 0)
        {
            live = Literal.Of(true);
            return frame;
        }

        var broke = breaks.Aggregate((a, b) => new Binary(BinaryOp.Or, a, b));
        var spec = Before([], position);
        var key = FrameIds.UniqueKey("__mz_broken", frame.Columns.Select(c => c.Key));
        var call = Call("bool_or", Call("coalesce", broke, Literal.Of(false))) with { Over = spec };
        live = new Unary(UnaryOp.Not, Call("coalesce", Ref(key, SparkType.Boolean, true), Literal.Of(false)));
        var window = new Window(frame.Plan, [new Alias(call, key)]);
        return frame with { Plan = window, Columns = frame.Columns.Add(new FrameColumn(key, key, SparkType.Boolean, true, interpreter.Ids.NewOrigin())) };
    }

    /// <summary>The value a row adds, computed only for the rows that pass the guard: an aggregate's FILTER
    /// drops rows after its argument is computed, so a Python error (a None operand) raised by a row the
    /// legacy code skipped would otherwise fail the rewrite.</summary>
    private static Expr OnlyWhen(FieldFold fold) =>
        fold.Guard is Literal { Value: "true" } ? fold.Value : new Case(null, [new WhenClause(fold.Guard, fold.Value)], null);

    /// <summary>The aggregate of one field over a key's rows (or all rows, for a counter).</summary>
    private static Expr FoldAggregate(FieldFold fold, ColumnRef position, DriverInterpreter interpreter, PyNode site)
    {
        switch (fold.Kind)
        {
            case FieldFold.Kinds.Sum:
                if (fold.Init is null)
                {
                    throw interpreter.Refuse("d[k] += x with no initial value for k (KeyError on its first row)", site);
                }

                return new Binary(BinaryOp.Add, fold.Init, Call("coalesce", Call("sum", OnlyWhen(fold)) with { Filter = fold.Guard }, Literal.Of(0)));
            case FieldFold.Kinds.FloatSum:
                return Call("py_fold_sum", OnlyWhen(fold), position, fold.Init ?? throw interpreter.Refuse("a float total with no initial value", site)) with { Filter = fold.Guard };
            case FieldFold.Kinds.Last or FieldFold.Kinds.First:
                var pick = Call(fold.Kind == FieldFold.Kinds.Last ? "py_last_by" : "py_first_by", OnlyWhen(fold), position) with { Filter = fold.Guard };
                var set = new Binary(BinaryOp.Gt, Call("count", Literal.Of(1)) with { Filter = fold.Guard }, Literal.Of(0));
                return fold.Init is null ? pick : new Case(null, [new WhenClause(set, pick)], fold.Init);
            case FieldFold.Kinds.Keep:
                return fold.Init ?? Literal.Null;
            default:
                throw new InvalidOperationException($"Unknown fold {fold.Kind}.");
        }
    }

    /// <summary>A dict filled per key → one row per key with its fields, ordered as the dict iterates
    /// (the position of the row that first set the key).</summary>
    public static KeyedValue Keyed(DriverInterpreter interpreter, Frame frame, ColumnRef position, DictProgram program, Dictionary<string, FieldFold> folds, Expr live, PyNode site)
    {
        var key = program.Key ?? throw interpreter.Refuse("a dict the loop never indexes", site);
        var presence = Presence(program);
        var rows = new Filter(frame.Plan, live);
        var outputs = KeyAndFieldOutputs(key, program, folds, position, interpreter, site);
        var columns = ImmutableArray.CreateBuilder<FrameColumn>();

        outputs.Add(new Alias(Call("min", position) with { Filter = presence }, "__mz_first"));
        var aggregate = new Plan.Aggregate(rows, [.. key.Select(k => k.Sql)], [.. outputs]);
        var present = new Filter(aggregate, new IsNull(Ref("__mz_first", SparkType.Int, true), true));
        var schema = PlanSchema.Of(present);
        foreach (var column in schema.Columns)
        {
            columns.Add(new FrameColumn(column.Name, column.Name, column.Type, column.Nullable, interpreter.Ids.NewOrigin()));
        }

        var built = columns.ToImmutable();
        var first = built[^1];
        var frameOut = new Frame(present, built, new RowOrder.Sorted([(first.Origin, SortDirection.Ascending, NullOrdering.First)], new RowOrder.Undefined("a dict")));
        return new KeyedValue(frameOut, key.Length, [.. key.Select(k => k.Kind)],
            program.IsRecord ? [.. program.Fields.Select(f => (string?)f)] : [null],
            [.. program.Fields.Select(f => folds[f].PyKind)]);
    }

    /// <summary>The columns of a folded dict's rows: its key parts (<c>key</c> or <c>key_1</c>, ...), then
    /// each field's fold under a name unique among them.</summary>
    private static List<Expr> KeyAndFieldOutputs(
        ImmutableArray<SqlScalar> key, DictProgram program, Dictionary<string, FieldFold> folds, ColumnRef position, DriverInterpreter interpreter, PyNode site)
    {
        var names = new List<string>();
        var outputs = new List<Expr>();
        for (var i = 0; i < key.Length; i++)
        {
            var name = key.Length == 1 ? "key" : "key_" + (i + 1).ToString(CultureInfo.InvariantCulture);
            names.Add(name);
            outputs.Add(new Alias(key[i].Sql, name));
        }

        foreach (var field in program.Fields)
        {
            var name = FrameIds.UniqueKey(field, names);
            names.Add(name);
            outputs.Add(new Alias(FoldAggregate(folds[field], position, interpreter, site), name));
        }

        return outputs;
    }

    /// <summary>A dict the loop indexes only with constant keys (missing["email"] += 1): each key is a fold
    /// over every live row, like a counter kept in a plain variable, and exists once some row wrote it.
    /// One row per existing key, ordered as the dict iterates: by the row that first wrote the key, then
    /// by which write of that row came first in the body.</summary>
    public static KeyedValue ConstantKeyed(
        DriverInterpreter interpreter, Frame frame, ColumnRef position, List<(PyValue Key, DictProgram Program)> slots,
        Dictionary<DictProgram, Dictionary<string, FieldFold>> folds, int writes, Expr live, Func<Expr, Expr> resolve, PyNode site)
    {
        // A key no row writes is never in the dict (a Counter read does not insert it).
        slots = [.. slots.Where(s => s.Program.Writes.Count > 0)];
        if (slots.Count == 0)
        {
            throw interpreter.Refuse("a dict the loop reads but never writes", site);
        }

        var rows = new Filter(frame.Plan, live);
        var first = slots[0].Program;
        var keyKinds = first.Key!.Value.Select(k => k.Kind).ToImmutableArray();
        var fieldKinds = first.Fields.Select(f => folds[first][f].PyKind).ToImmutableArray();
        PlanNode? union = null;
        foreach (var (_, program) in slots)
        {
            var key = program.Key!.Value;
            if (!key.Select(k => k.Kind).SequenceEqual(keyKinds))
            {
                throw interpreter.Refuse("a dict with constant keys of different types (one SQL column holds them)", site);
            }

            if (program.IsRecord != first.IsRecord || !program.Fields.SequenceEqual(first.Fields, StringComparer.Ordinal)
                || !program.Fields.Select(f => folds[program][f].PyKind).SequenceEqual(fieldKinds))
            {
                throw interpreter.Refuse("a dict whose constant keys hold values of different types or fields", site);
            }

            var outputs = KeyAndFieldOutputs(key, program, folds[program], position, interpreter, site);

            // Where the key was inserted: the row, then the first write of that row that ran. At the first
            // row that writes the key it was absent before, so "present before" reads as false there.
            Expr Absent(Expr guard) => resolve(ExprTree.TransformUp(guard, e => e.Equals(program.HasBefore.Sql) ? Literal.Of(false) : null).Value);
            var within = new Case(null, [.. program.Writes.Select(w => new WhenClause(Absent(w.Guard), Literal.Of(w.Sequence)))], null);
            var order = new Binary(BinaryOp.Add, new Binary(BinaryOp.Multiply, new Cast(position, SparkType.Long), Literal.Of(Math.Max(writes, 1))), within);
            outputs.Add(new Alias(Call("min", order) with { Filter = resolve(Presence(program)) }, "__mz_first"));
            var aggregate = new Plan.Aggregate(rows, [], [.. outputs]);
            var present = new Filter(aggregate, new IsNull(Ref("__mz_first", SparkType.Long, true), true));
            union = union is null ? present : new Plan.Union(union, present, All: true);
        }

        var schema = PlanSchema.Of(union!);
        var columns = schema.Columns.Select(c => new FrameColumn(c.Name, c.Name, c.Type, c.Nullable, interpreter.Ids.NewOrigin())).ToImmutableArray();
        var frameOut = new Frame(union!, columns, new RowOrder.Sorted([(columns[^1].Origin, SortDirection.Ascending, NullOrdering.First)], new RowOrder.Undefined("a dict")));
        return new KeyedValue(frameOut, keyKinds.Length, keyKinds, first.IsRecord ? [.. first.Fields.Select(f => (string?)f)] : [null], fieldKinds);
    }

    /// <summary>A scalar the loop accumulates in a plain variable: its fold over every live row.</summary>
    public static SqlScalar GlobalFold(DriverInterpreter interpreter, Frame frame, ColumnRef position, FieldFold fold, Expr live, PyNode site)
    {
        var aggregate = new Plan.Aggregate(new Filter(frame.Plan, live), [], [new Alias(FoldAggregate(fold, position, interpreter, site), "value")]);
        return new SqlScalar(new PlanSubquery(SubqueryKind.Scalar, aggregate), fold.PyKind, fold.Kind is FieldFold.Kinds.Last or FieldFold.Kinds.First);
    }

    /// <summary>Rows appended to a list: one relation, in append order (row, then append statement).</summary>
    public static RowSetValue Appended(DriverInterpreter interpreter, Frame frame, ColumnRef position, List<(Expr? Guard, PyValue Value, int Line)> appends, Func<Expr, Expr> resolve, Expr live, PyNode site)
    {
        ImmutableArray<string>? names = null;
        var kinds = new List<PyKind>();
        var nan = new List<bool>();
        PlanNode? union = null;
        for (var i = 0; i < appends.Count; i++)
        {
            var (guard, value, line) = appends[i];
            var (fieldNames, fields) = Fields(interpreter, value, site);
            if (i == 0)
            {
                names = fieldNames;
                kinds.AddRange(fields.Select(f => f.Kind));
                nan.AddRange(fields.Select(f => f.NanForNull));
            }
            else if (fields.Length != kinds.Count)
            {
                throw interpreter.Refuse("appends of rows with different numbers of values to one list", site);
            }

            for (var f = 0; f < fields.Length; f++)
            {
                if (kinds[f] == PyKind.None)
                {
                    kinds[f] = fields[f].Kind;
                }
            }

            var outputs = fields.Select((f, index) => (Expr)new Alias(resolve(f.Sql), "_" + (index + 1).ToString(CultureInfo.InvariantCulture))).ToList();
            outputs.Add(position);
            outputs.Add(new Alias(Literal.Of(i), "__mz_sub"));
            var condition = guard is null ? live : new Binary(BinaryOp.And, live, guard);
            PlanNode rows = new Project(new Filter(frame.Plan, BoolSimplifier.Simplify(condition)), [.. outputs]);
            union = union is null ? rows : new Plan.Union(union, rows, All: true);
        }

        if (kinds.Any(k => k == PyKind.None))
        {
            throw interpreter.Refuse("a list of values that are always None", site);
        }

        var schema = PlanSchema.Of(union!);
        var columns = schema.Columns.Select(c => new FrameColumn(c.Name, c.Name, c.Type, c.Nullable, interpreter.Ids.NewOrigin())).ToImmutableArray();
        var posColumn = columns[^2];
        var subColumn = columns[^1];
        var order = new RowOrder.Sorted([(posColumn.Origin, SortDirection.Ascending, NullOrdering.First), (subColumn.Origin, SortDirection.Ascending, NullOrdering.First)], new RowOrder.Undefined("appended rows"));
        return new RowSetValue(new Frame(union!, columns, order), [.. kinds], names) { NanForNull = [.. nan] };
    }

    private static (ImmutableArray<string>? Names, ImmutableArray<SqlScalar> Fields) Fields(DriverInterpreter interpreter, PyValue value, PyNode site)
    {
        SqlScalar S(PyValue v) => v switch
        {
            PyUnknown unknown => throw interpreter.Refuse(unknown.Reason + " is appended to the output rows", site),
            _ => (SqlScalar)ValueOps.Scalar(v, site, interpreter),
        };

        return value switch
        {
            PyTuple tuple => (null, [.. tuple.Items.Select(S)]),
            NamedRowValue named => (named.Names, [.. named.Values.Select(S)]),
            RowRef row => (row.Names, row.Fields),
            PyList list => (null, [.. list.Items.Select(S)]),
            _ => (null, [S(value)]),
        };
    }

    /// <summary>A lookup into a dict an earlier loop built: a left join on the key, None matching None.</summary>
    public static (Frame Frame, Expr Present, ImmutableArray<SqlScalar> Values) LeftJoinKeyed(
        DriverInterpreter interpreter, Frame source, KeyedValue keyed, ImmutableArray<SqlScalar> key, PyNode site)
    {
        var taken = source.Columns.Select(c => c.Key).ToList();
        var renamed = new List<FrameColumn>();
        var projections = new List<Expr>();
        foreach (var column in keyed.Frame.Columns)
        {
            var newKey = FrameIds.UniqueKey("__mz_l" + column.Key, taken);
            taken.Add(newKey);
            renamed.Add(new FrameColumn(newKey, newKey, column.Type, true, interpreter.Ids.NewOrigin()));
            projections.Add(new Alias(column.Reference, newKey));
        }

        var right = new Project(keyed.Frame.Plan, [.. projections]);
        var condition = key.Select((part, i) => (Expr)new Binary(BinaryOp.NullSafeEq, part.Sql, renamed[i].Reference with { Binding = renamed[i].Reference.Binding! with { Nullable = keyed.Frame.Columns[i].Nullable } }))
            .Aggregate((a, b) => new Binary(BinaryOp.And, a, b));
        var join = new Join(source.Plan, right, JoinType.LeftOuter, condition);
        var frame = source with { Plan = join, Columns = [.. source.Columns, .. renamed] };
        var present = new IsNull(renamed[^1].Reference, true);
        var values = Enumerable.Range(0, keyed.FieldKinds.Length).Select(i => new SqlScalar(renamed[keyed.KeyCount + i].Reference, keyed.FieldKinds[i], true)).ToImmutableArray();
        return (frame, present, values);
    }

    /// <summary>A list or dict items view as rows for createDataFrame.</summary>
    public static RowSetValue? AsRelation(DriverInterpreter interpreter, PyValue value, PyNode site) => value switch
    {
        RowSetValue set => set,
        KeyedView { Kind: "items" } view when !view.Dict.IsRecord => ItemsOf(interpreter, view.Dict),
        PyUnknown unknown => throw interpreter.Refuse(unknown.Reason + " is written", site),
        _ => null,
    };

    private static RowSetValue ItemsOf(DriverInterpreter interpreter, KeyedValue keyed)
    {
        var columns = keyed.Frame.Columns;
        var outputs = columns.Take(keyed.KeyCount + 1).Select((c, i) => (Expr)new Alias(c.Reference, "_" + (i + 1).ToString(CultureInfo.InvariantCulture))).Append(columns[^1].Reference).ToList();
        var plan = new Project(keyed.Frame.Plan, [.. outputs]);
        var schema = PlanSchema.Of(plan);
        var frameColumns = schema.Columns.Select(c => new FrameColumn(c.Name, c.Name, c.Type, c.Nullable, interpreter.Ids.NewOrigin())).ToImmutableArray();
        var order = new RowOrder.Sorted([(frameColumns[^1].Origin, SortDirection.Ascending, NullOrdering.First)], new RowOrder.Undefined("a dict"));
        if (keyed.KeyCount != 1)
        {
            throw interpreter.Refuse("items() of a dict with tuple keys as rows", default);
        }

        return new RowSetValue(new Frame(plan, frameColumns, order), [keyed.KeyKinds[0], keyed.FieldKinds[0]], null);
    }

    /// <summary>createDataFrame(rows, schema) of rows a loop built: each value verified as PySpark's
    /// schema check does, cast to the declared type, named by the schema.</summary>
    public static Frame ToFrame(DriverInterpreter interpreter, RowSetValue relation, Schema? declared, PyNode site)
    {
        var count = relation.Kinds.Length;
        var schema = declared ?? (relation.Names is { } names
            ? new Schema(names.Select((n, i) => new SchemaColumn(n, relation.Frame.Columns[i].Type, true)).ToEquatableArray())
            : throw interpreter.Refuse("createDataFrame of built rows without a schema", site));
        if (schema.Count != count)
        {
            throw interpreter.Refuse($"rows of {count} values for a schema of {schema.Count} columns", site);
        }

        var outputs = new List<Expr>();
        for (var i = 0; i < count; i++)
        {
            var column = relation.Frame.Columns[i];
            var value = new SqlScalar(column.Reference, relation.Kinds[i], column.Nullable) { NanForNull = !relation.NanForNull.IsDefaultOrEmpty && relation.NanForNull[i] };
            outputs.Add(new Alias(interpreter.Spark.Verified(value, schema.Columns[i], site), schema.Columns[i].Name));
        }

        var plan = new Project(relation.Frame.Plan, [.. outputs]);
        var frameColumns = schema.Columns.Select(c => new FrameColumn(c.Name, c.Name, c.Type, c.Nullable, interpreter.Ids.NewOrigin())).ToImmutableArray();
        return new Frame(plan, frameColumns, new RowOrder.Undefined("createDataFrame"));
    }

    public static PyValue? ListOf(DriverInterpreter interpreter, PyValue value, PyNode site) => value switch
    {
        RowSetValue set => set,
        KeyedView { Kind: "items" } view when !view.Dict.IsRecord => ItemsOf(interpreter, view.Dict),
        _ => null,
    };

    /// <summary>sorted() of a dict's items or of built rows: the same rows, in Python's order of the
    /// values (tuples compared item by item; None cannot be compared and raises).</summary>
    public static PyValue? Sorted(DriverInterpreter interpreter, PyValue source, CallArguments a)
    {
        if (a.Arg(1, "key") is not null and not PyNone || a.Keywords.ContainsKey("reverse"))
        {
            throw interpreter.Refuse("sorted() with a key or reverse of rows known only at run time", a.Site);
        }

        switch (source)
        {
            case KeyedView view:
                var keyed = view.Dict;
                var keys = keyed.Frame.Columns.Take(keyed.KeyCount).Select(c => (c.Origin, SortDirection.Ascending, NullOrdering.First)).ToImmutableArray();
                return view with { Dict = keyed with { Frame = keyed.Frame with { Order = new RowOrder.Sorted(keys, keyed.Frame.Order) } } };
            case KeyedValue dict:
                var byKey = dict.Frame.Columns.Take(dict.KeyCount).Select(c => (c.Origin, SortDirection.Ascending, NullOrdering.First)).ToImmutableArray();
                return new KeyedView(dict with { Frame = dict.Frame with { Order = new RowOrder.Sorted(byKey, dict.Frame.Order) } }, "keys");
            case RowSetValue set:
                var all = set.Frame.Columns.Take(set.Kinds.Length).Select(c => (c.Origin, SortDirection.Ascending, NullOrdering.First)).ToImmutableArray();
                return set with { Frame = set.Frame with { Order = new RowOrder.Sorted(all, set.Frame.Order) } };
            default:
                return null;
        }
    }

    public static PyValue? Sum(DriverInterpreter interpreter, PyValue source, PyValue start, PyNode site) => null;
}
