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

/// <summary>SQL statements a loop runs per row against a table it also reads (ITR03). The rule lifted
/// here is the type-2 slowly changing dimension kept one row at a time:
/// <code>
/// n = SELECT count(*) FROM T WHERE key = row.key AND current = true AND a1 = row.a1 ...
/// if n == 0: UPDATE T SET current = false, end = row.x WHERE key = row.key AND current = true
///            INSERT INTO T VALUES (row.key, row.a1, ..., start, NULL, true)
/// </code>
/// A change is skipped when it repeats the key's current attributes. Before a key's first applied
/// change the current row is the table's own; after it, the last applied change — whose attributes
/// equal the previous change's (a skipped change equals the current one). So a change is applied
/// when it differs from the previous change of its key, or, before any applied change, when no
/// current row of the table matches it. The run then closes each key's current row with its first
/// applied change, and inserts every applied change, closed by the next one of its key.
/// The result is one MERGE (Spark) and the same MERGE as a query (DuckDB).</summary>
internal static class PerRowStatements
{
    public static void Lift(RowContext context, DriverInterpreter interpreter, IReadOnlyList<(PlanNode Statement, Expr? Guard, int Line)> statements, PyNode loop)
    {
        if (statements.Count != 2 || statements[0].Statement is not Write { Mode: WriteMode.Update } update || statements[1].Statement is not Write { Mode: WriteMode.Append, Input: Plan.Values { Rows.Count: 1 } values } insert
            || update.Target.Key != insert.Target.Key || statements[0].Guard is null || !Equals(statements[0].Guard, statements[1].Guard))
        {
            throw Refuse(interpreter, loop, "per-row SQL statements other than a guarded UPDATE then INSERT of one table (the SCD2 pattern)");
        }

        var target = update.Target;
        var schema = interpreter.Translation.Schemas?.GetSchema(target) ?? throw Refuse(interpreter, loop, $"per-row writes to {target}, which is not in the lake");
        var guard = BoolSimplifier.Simplify(statements[0].Guard!);

        // The guard: no current row of T matches the row (a count of zero).
        var matching = ExistingMatch(guard) ?? throw Refuse(interpreter, loop, "a per-row INSERT guarded by something else than 'no matching current row'");
        var conjuncts = Conjuncts(matching.Predicate);
        var keyed = new List<(string Column, Expr Row)>();
        string? flag = null;
        foreach (var conjunct in conjuncts)
        {
            if (conjunct is not Binary { Op: BinaryOp.Eq or BinaryOp.EqEq } eq)
            {
                throw Refuse(interpreter, loop, "a match condition that is not a conjunction of equalities");
            }

            var (column, other) = TableSide(eq, target) ?? throw Refuse(interpreter, loop, "an equality that does not compare a column of the table with the row");
            if (other is Literal { Kind: LiteralKind.Boolean, Value: "true" })
            {
                flag = column;
            }
            else if (!References(other, target))
            {
                keyed.Add((column, other));
            }
            else
            {
                throw Refuse(interpreter, loop, "a match condition comparing two columns of the table");
            }
        }

        if (flag is null || keyed.Count == 0)
        {
            throw Refuse(interpreter, loop, "a match condition without a current-row flag");
        }

        // The UPDATE closes the key's current rows: WHERE key = row.key AND flag = true; SET flag = false, ...
        var updateConjuncts = Conjuncts(update.Condition ?? Literal.Of(true));
        var updateKey = new List<(string Column, Expr Row)>();
        foreach (var conjunct in updateConjuncts)
        {
            if (conjunct is Binary { Op: BinaryOp.Eq or BinaryOp.EqEq } eq && TableSide(eq, target) is var (column, other))
            {
                if (other is Literal { Kind: LiteralKind.Boolean, Value: "true" } && string.Equals(column, flag, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                updateKey.Add((column, other));
                continue;
            }

            throw Refuse(interpreter, loop, "an UPDATE condition that is not key equality and the current flag");
        }

        var key = updateKey.Select(k => k.Column).ToList();
        var attributes = keyed.Where(k => !key.Contains(k.Column, StringComparer.OrdinalIgnoreCase)).ToList();
        if (key.Count == 0 || !key.All(k => keyed.Any(m => string.Equals(m.Column, k, StringComparison.OrdinalIgnoreCase) && m.Row.Equals(updateKey.First(u => u.Column == k).Row))))
        {
            throw Refuse(interpreter, loop, "an UPDATE keyed differently from the match");
        }

        var assignments = update.Assignments.Select(a => (Column: a.Column[^1].Text, a.Value)).ToList();
        if (!assignments.Any(a => string.Equals(a.Column, flag, StringComparison.OrdinalIgnoreCase) && a.Value is Literal { Kind: LiteralKind.Boolean, Value: "false" }))
        {
            throw Refuse(interpreter, loop, "an UPDATE that does not clear the current flag");
        }

        // The INSERT: one value per column of T, positional; the new row is current and repeats the match.
        var inserted = values.Rows[0];
        if (inserted.Count != schema.Count)
        {
            throw Refuse(interpreter, loop, $"an INSERT of {inserted.Count} values into {schema.Count} columns");
        }

        var insertedOf = schema.Columns.Select((c, i) => (c.Name, Value: inserted[i])).ToDictionary(p => p.Name, p => p.Value, StringComparer.OrdinalIgnoreCase);
        if (insertedOf[flag] is not Literal { Kind: LiteralKind.Boolean, Value: "true" }
            || !keyed.All(m => Same(insertedOf[m.Column], m.Row)))
        {
            throw Refuse(interpreter, loop, "an INSERT whose row does not repeat the matched attributes as the current row");
        }

        Build(context, interpreter, loop, target, schema, key, attributes, flag, assignments, insertedOf);
        interpreter.Translation.Lifted(new LiftedPattern("ITR03", interpreter.File, interpreter.LineOf(loop), loop.Span.EndLine + interpreter.LineOffset,
            $"per-row SCD2 (count, UPDATE, INSERT) of {target} as one MERGE"));
    }

    private static RewriteRefusedException Refuse(DriverInterpreter interpreter, PyNode loop, string reason) => interpreter.Refuse(reason, loop);

    /// <summary>NOT (count(rows of T where P) > 0), in the forms the guard takes.</summary>
    private static (PlanNode Table, Expr Predicate)? ExistingMatch(Expr guard)
    {
        var inner = guard is Unary { Op: UnaryOp.Not, Operand: var o } ? o : null;
        if (inner is not Binary { Op: BinaryOp.Gt, Left: PlanSubquery { Kind: SubqueryKind.Scalar } count, Right: Literal { Value: "0" } })
        {
            return null;
        }

        var node = count.Plan;
        while (node is Project or SubqueryAlias)
        {
            node = node.Children[0];
        }

        if (node is not Plan.Aggregate { GroupKeys.Count: 0 } aggregate)
        {
            return null;
        }

        var source = aggregate.Input;
        while (source is Project or SubqueryAlias)
        {
            source = source.Children[0];
        }

        return source is Filter filter ? (filter.Input, filter.Predicate) : null;
    }

    private static List<Expr> Conjuncts(Expr expr) =>
        expr is Binary { Op: BinaryOp.And } and ? [.. Conjuncts(and.Left), .. Conjuncts(and.Right)] : [expr];

    private static bool IsColumnOf(Expr expr, TableName table) =>
        expr is ColumnRef { Binding: { Table: { } owner } } && string.Equals(owner, table.ToString(), StringComparison.OrdinalIgnoreCase);

    private static bool References(Expr expr, TableName table) =>
        ExprTree.Descendants(expr).Prepend(expr).Any(e => IsColumnOf(e, table));

    private static (string Column, Expr Other)? TableSide(Binary eq, TableName table) =>
        IsColumnOf(eq.Left, table) ? (((ColumnRef)eq.Left).Binding!.Column, eq.Right)
        : IsColumnOf(eq.Right, table) ? (((ColumnRef)eq.Right).Binding!.Column, eq.Left)
        : null;

    /// <summary>The same value up to the cast INSERT applies to the column type.</summary>
    private static bool Same(Expr a, Expr b) => Strip(a).Equals(Strip(b));

    private static Expr Strip(Expr e) => e is Cast cast ? Strip(cast.Operand) : e;

    private static ColumnRef Ref(string key, SparkType type, bool nullable) =>
        new([new NamePart(key)]) { Binding = new ColumnBinding(null, key, type, nullable) };

    private static ColumnRef TableRef(SchemaColumn column) =>
        new([new NamePart(column.Name)]) { Binding = new ColumnBinding(null, column.Name, column.Type, column.Nullable) };

    private static void Build(
        RowContext context, DriverInterpreter interpreter, PyNode loop, TableName target, Schema schema, List<string> key,
        List<(string Column, Expr Row)> attributes, string flag, List<(string Column, Expr Value)> assignments, Dictionary<string, Expr> inserted)
    {
        var positioned = RowSets.Number(interpreter, context.Source, context.Order);
        var position = positioned.Columns.First(c => c.Key == RowOrders.Position).Reference;
        var columnOf = schema.Columns.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

        // 1. Per row: its key, its attributes, the values it would write — under fresh names.
        var keyRows = key.Select(k => inserted[k]).ToList();
        var outputs = new List<Expr> { position };
        var names = new List<string>();
        var added = new List<ColumnRef>();
        ColumnRef Add(string stem, Expr value)
        {
            var name = FrameIds.UniqueKey(stem, names.Concat(schema.Columns.Select(c => c.Name)));
            names.Add(name);
            outputs.Add(new Alias(value, name));
            var typed = TypeInference.Infer(value);
            var reference = Ref(name, typed.Type, typed.Nullable);
            added.Add(reference);
            return reference;
        }

        var keyRefs = keyRows.Select((k, i) => Add("__mz_k" + i.ToString(CultureInfo.InvariantCulture), Strip(k))).ToList();
        var attrRefs = attributes.Select((a, i) => Add("__mz_a" + i.ToString(CultureInfo.InvariantCulture), a.Row)).ToList();
        var assignRefs = assignments.Where(a => !string.Equals(a.Column, flag, StringComparison.OrdinalIgnoreCase))
            .Select((a, i) => (a.Column, Ref: Add("__mz_u" + i.ToString(CultureInfo.InvariantCulture), new Cast(a.Value, columnOf[a.Column].Type)))).ToList();
        var insertRefs = schema.Columns.Select((c, i) => (c.Name, Ref: Add("__mz_v" + i.ToString(CultureInfo.InvariantCulture), new Cast(inserted[c.Name], c.Type)))).ToList();
        PlanNode rows = new Project(positioned.Plan, [.. outputs]);

        // 2. Does a current row of the table (as before the run) match the row?
        var old = new Scan(target, schema);
        var matchOld = key.Select((k, i) => (Expr)new Binary(BinaryOp.Eq, TableRef(columnOf[k]), keyRefs[i]))
            .Concat(attributes.Select((a, i) => (Expr)new Binary(BinaryOp.Eq, TableRef(columnOf[a.Column]), attrRefs[i])))
            .Append(new Binary(BinaryOp.Eq, TableRef(columnOf[flag]), Literal.Of(true)))
            .Aggregate((a, b) => new Binary(BinaryOp.And, a, b));
        var inOld = new PlanSubquery(SubqueryKind.Exists, new Filter(old, matchOld));
        var partition = keyRefs.Select(k => (Expr)k).ToEquatableArray();
        var byPosition = new SortItem(Ref(RowOrders.Position, SparkType.Int, false), SortDirection.Ascending, NullOrdering.First);
        var earlier = new WindowSpec(null, partition, [byPosition], new WindowFrame(FrameUnit.Rows, FrameBound.UnboundedPreceding, new FrameBound(FrameBoundKind.Preceding, Literal.Of(1))));
        var lagSpec = new WindowSpec(null, partition, [byPosition], null);
        var passThrough = added.Select(r => (Expr)r).Prepend(Ref(RowOrders.Position, SparkType.Int, false)).ToList();
        var withOld = new Project(rows, [.. passThrough, new Alias(inOld, "__mz_in_old")]);
        var inOldRef = Ref("__mz_in_old", SparkType.Boolean, false);
        var windowed = new Window(withOld, [
            new Alias(new FunctionCall("max", [new Case(null, [new WhenClause(new Unary(UnaryOp.Not, inOldRef), Literal.Of(1))], Literal.Of(0))]) { Over = earlier }, "__mz_any_applied"),
            .. attrRefs.Select((a, i) => (Expr)new Alias(new FunctionCall("lag", [a]) { Over = lagSpec }, "__mz_prev" + i.ToString(CultureInfo.InvariantCulture))),
        ]);
        var sameAsPrevious = attrRefs.Select((a, i) => (Expr)new Binary(BinaryOp.Eq, a, Ref("__mz_prev" + i.ToString(CultureInfo.InvariantCulture), a.Binding!.Type, true)))
            .DefaultIfEmpty(Literal.Of(true)).Aggregate((a, b) => new Binary(BinaryOp.And, a, b));
        var appliedCondition = new Case(null,
            [new WhenClause(new Binary(BinaryOp.Eq, new FunctionCall("coalesce", [Ref("__mz_any_applied", SparkType.Int, true), Literal.Of(0)]), Literal.Of(1)),
                new Unary(UnaryOp.Not, new FunctionCall("coalesce", [sameAsPrevious, Literal.Of(false)])))],
            new Unary(UnaryOp.Not, inOldRef));
        var applied = new Filter(windowed, appliedCondition);

        // 3. Applied changes: each closed by the next applied change of its key.
        var next = new WindowSpec(null, partition, [byPosition], null);
        var withNext = new Window(applied, [
            new Alias(new FunctionCall("lead", [Ref(RowOrders.Position, SparkType.Int, false)]) { Over = next }, "__mz_next_pos"),
            .. assignRefs.Select((a, i) => (Expr)new Alias(new FunctionCall("lead", [a.Ref]) { Over = next }, "__mz_next_u" + i.ToString(CultureInfo.InvariantCulture))),
        ]);
        var last = new IsNull(Ref("__mz_next_pos", SparkType.Int, true), false);
        var insertOutputs = new List<Expr> { new Alias(new Cast(Literal.Null, keyRefs.Count == 1 ? keyRefs[0].Binding!.Type : SparkType.String), "__mz_merge_key") };
        foreach (var (column, reference) in insertRefs)
        {
            Expr value = reference;
            if (string.Equals(column, flag, StringComparison.OrdinalIgnoreCase))
            {
                value = last;
            }
            else if (assignRefs.FindIndex(a => string.Equals(a.Column, column, StringComparison.OrdinalIgnoreCase)) is var u and >= 0)
            {
                value = new Case(null, [new WhenClause(last, reference)], Ref("__mz_next_u" + u.ToString(CultureInfo.InvariantCulture), assignRefs[u].Ref.Binding!.Type, true));
            }

            insertOutputs.Add(new Alias(new Cast(value, columnOf[column].Type), column));
        }

        var inserts = new Project(withNext, [.. insertOutputs]);

        // 4. Each key with an applied change: its table row is closed with the first applied change.
        if (keyRefs.Count != 1)
        {
            throw Refuse(interpreter, loop, "an SCD2 key of several columns");
        }

        var closeOutputs = new List<Expr> { new Alias(keyRefs[0], "__mz_merge_key") };
        foreach (var column in schema.Columns)
        {
            var assigned = assignRefs.FindIndex(a => string.Equals(a.Column, column.Name, StringComparison.OrdinalIgnoreCase));
            closeOutputs.Add(new Alias(assigned >= 0
                ? new Cast(new FunctionCall("py_first_by", [assignRefs[assigned].Ref, Ref(RowOrders.Position, SparkType.Int, false)]), column.Type)
                : new Cast(Literal.Null, column.Type), column.Name));
        }

        var closes = new Plan.Aggregate(applied, [keyRefs[0]], [.. closeOutputs]);
        var source = new Plan.Union(closes, inserts, All: true);

        // 5. One MERGE: close matched current rows, insert the new ones.
        var t = "t";
        var s = "s";
        ColumnRef Qualified(string alias, string column) => ColumnRef.Of(alias, column);
        var on = new Binary(BinaryOp.And,
            new Binary(BinaryOp.Eq, Qualified(t, key[0]), Qualified(s, "__mz_merge_key")),
            new Binary(BinaryOp.Eq, Qualified(t, flag), Literal.Of(true)));
        var set = assignments.Select(a => new Assignment([new NamePart(a.Column)], string.Equals(a.Column, flag, StringComparison.OrdinalIgnoreCase) ? Literal.Of(false) : Qualified(s, a.Column))).ToEquatableArray();
        var insert = new MergeInsert(schema.Columns.Select(c => c.Name).ToEquatableArray(), schema.Columns.Select(c => (Expr)Qualified(s, c.Name)).ToEquatableArray());
        var merge = new MergeSpec(on, t, s, [new MergeClause(MergeMatch.Matched, null, new MergeUpdate(set)), new MergeClause(MergeMatch.NotMatchedByTarget, null, insert)]);
        interpreter.Translation.Write(target.ToString(), new WriteStep(WriteStepKind.Merge, source, interpreter.File, interpreter.LineOf(loop)) { Merge = merge, Guard = interpreter.Guard });
    }
}
