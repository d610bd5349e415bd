using System.Collections.Immutable;
using System.Globalization;
using Modernizer.Code.Python;

namespace Modernizer.Code.Frontend;

internal sealed partial class Interpreter
{
    private PyValue Evaluate(PyNode? node)
    {
        if (node is null)
        {
            return ConstValue.None;
        }

        // Long method chains nest as deep as they are long: a clear error, never a stack overflow.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();

        switch (node.Kind)
        {
            case "Constant":
                var constant = node.Const();
                if (constant is long or double && node.Line > 0 && _functions.Count > 0)
                {
                    RecordNumber(node, constant);
                }

                return new ConstValue(constant is PyOtherConstant other ? other.Repr : constant) { Line = node.Line };
            case "JoinedStr":
                return TextValue.Concat(node.Nodes("values").Select(v => v.Is("FormattedValue") ? Interpolated(ToText(Evaluate(v.Node("value")), v.Node("value")), v.Node("value")?.Line ?? v.Line) : ToText(Evaluate(v), v))) with { Line = node.Line };
            case "Name":
                return Lookup(node.Str("id")!);
            case "Attribute":
                return GetAttribute(Evaluate(node.Node("value")), node.Str("attr")!, node);
            case "Call":
                return EvaluateCall(node);
            case "BinOp":
                return BinaryOperation(node.Node("op")!.Kind, Evaluate(node.Node("left")), Evaluate(node.Node("right")), node);
            case "UnaryOp":
                return UnaryOperation(node.Node("op")!.Kind, Evaluate(node.Node("operand")), node);
            case "BoolOp":
                var values = node.Nodes("values").Select(Evaluate).ToArray();
                return BooleanOperation(node.Node("op")!.Kind, values, node);
            case "Compare":
                return Compare(node);
            case "IfExp":
                var test = Evaluate(node.Node("test"));
                CheckTruthiness(node.Node("test")!, test);
                var body = Evaluate(node.Node("body"));
                var orelse = Evaluate(node.Node("orelse"));
                return test is ConstValue { Value: bool b } ? (b ? body : orelse) : Merge(body, orelse);
            case "List":
            case "Tuple":
            case "Set":
                return new ListValue([.. ExpandStarred(node.Nodes("elts"))], node.Is("Tuple"));
            case "Dict":
                return EvaluateDict(node);
            case "Subscript":
                return Subscript(Evaluate(node.Node("value")), Evaluate(node.Node("slice")), node);
            case "Slice":
                return UnknownValue.Plain;
            case "ListComp":
            case "SetComp":
            case "GeneratorExp":
                return Comprehension(node, node.Node("elt")!);
            case "DictComp":
                var value = Comprehension(node, node.Node("value")!);
                return new UnknownValue("dict", value.Taint);
            case "Lambda":
                return new UnknownValue("lambda", Taint.None);
            case "Starred":
                return Evaluate(node.Node("value"));
            case "NamedExpr":
                var named = Evaluate(node.Node("value"));
                Assign(node.Node("target")!, named);
                return named;
            case "Await":
                return Evaluate(node.Node("value"));
            default:
                return UnknownValue.Plain;
        }
    }

    private IEnumerable<PyValue> ExpandStarred(ImmutableArray<PyNode> nodes)
    {
        foreach (var node in nodes)
        {
            var value = Evaluate(node.Is("Starred") ? node.Node("value") : node);
            if (node.Is("Starred") && value is ListValue list)
            {
                foreach (var item in list.Items)
                {
                    yield return item;
                }
            }
            else
            {
                yield return value;
            }
        }
    }

    private PyValue EvaluateDict(PyNode node)
    {
        // A null key is `**mapping`: its items are merged in, in order.
        var keys = node.OptionalNodes("keys");
        var values = node.Nodes("values");
        var items = ImmutableDictionary.CreateBuilder<string, PyValue>(StringComparer.Ordinal);
        var taint = Taint.None;
        for (var i = 0; i < values.Length; i++)
        {
            var value = Evaluate(values[i]);
            if (i < keys.Length && keys[i] is null)
            {
                if (value is DictValue spread)
                {
                    foreach (var (spreadKey, spreadValue) in spread.Items)
                    {
                        items[spreadKey] = spreadValue;
                    }
                }
                else
                {
                    taint = taint.Union(value.Taint);
                }

                continue;
            }

            var key = i < keys.Length ? Evaluate(keys[i]) : ConstValue.None;
            if (key is ConstValue c && c.AsText() is { } text)
            {
                items[text] = value;
            }
            else
            {
                taint = taint.Union(value.Taint).Union(key.Taint);
            }
        }

        return taint.IsEmpty ? new DictValue(items.ToImmutable()) : new UnknownValue("dict", taint);
    }

    private PyValue Comprehension(PyNode node, PyNode element)
    {
        var generators = node.Nodes("generators");
        if (generators.IsEmpty)
        {
            return UnknownValue.Plain;
        }

        var generator = generators[0];
        var iterable = Evaluate(generator.Node("iter"));
        var target = generator.Node("target")!;
        if (generators.Length == 1 && generator.Nodes("ifs").IsEmpty && AsLiteralItems(iterable) is { } items && items.Length <= MaxUnroll)
        {
            var results = ImmutableArray.CreateBuilder<PyValue>();
            foreach (var item in items)
            {
                Assign(target, item);
                results.Add(Evaluate(element));
            }

            return new ListValue(results.ToImmutable());
        }

        var (kind, origin, source) = ClassifyIterable(iterable);
        var loop = new LoopContext(kind, node.Line, node.Span.EndLine, origin) { File = _file };

        // [row[0] for row in df.collect()] only converts rows to values (the collect itself is
        // DRV01's business); a comprehension that filters or computes is row processing.
        if (kind == LoopKind.Rows && !(IsExtraction(generators, element) && (node.Node("key") is not { } key || IsExtraction(generators, key))))
        {
            Add(new LoopFact(kind, origin, source, node.Span.EndLine) { File = _file, Line = node.Line });
        }

        PyValue result = UnknownValue.Plain;
        WithLoop(loop, () =>
        {
            Assign(target, ElementOf(iterable, node.Line));
            foreach (var extra in generators.Skip(1))
            {
                Assign(extra.Node("target")!, ElementOf(Evaluate(extra.Node("iter")), node.Line));
            }

            foreach (var condition in generators.SelectMany(g => g.Nodes("ifs")))
            {
                Evaluate(condition);
            }

            result = Evaluate(element);
        });
        var taint = iterable.Taint.Union(result.Taint);
        return taint.IsEmpty ? new UnknownValue("list", Taint.None) : new DriverDataValue("derived rows", taint, (iterable as DriverDataValue)?.From, true, node.Line);
    }

    /// <summary>One generator, no condition, and an element that only reads fields of the row
    /// (<c>row[0]</c>, <c>r.name</c>, <c>str(r.id)</c>, <c>(r.a, r.b)</c>).</summary>
    private static bool IsExtraction(ImmutableArray<PyNode> generators, PyNode element)
    {
        if (generators.Length != 1 || !generators[0].Nodes("ifs").IsEmpty || generators[0].Node("target") is not { Kind: "Name" } target)
        {
            return false;
        }

        var variable = target.Str("id");
        bool IsField(PyNode n) => n.Kind switch
        {
            "Name" => n.Str("id") == variable,
            "Attribute" => n.Node("value") is { } owner && IsField(owner),
            "Subscript" => n.Node("value") is { } owner && IsField(owner) && n.Node("slice") is { Kind: "Constant" or "Name" },
            "Call" => n.Node("func") is { Kind: "Name" } f && f.Str("id") is "str" or "int" or "float" && n.Nodes("args") is [{ } only] && IsField(only),
            "Tuple" or "List" => n.Nodes("elts").All(IsField),
            _ => false,
        };
        return IsField(element);
    }

    private static PyValue Merge(PyValue a, PyValue b)
    {
        if (a is ConstValue { Value: null })
        {
            return b;
        }

        if (b is ConstValue { Value: null })
        {
            return a;
        }

        if (a is ColumnValue || a is DataFrameValue)
        {
            return a;
        }

        var taint = a.Taint.Union(b.Taint);
        return taint.IsEmpty ? a : new UnknownValue("either", taint);
    }

    private PyValue Subscript(PyValue container, PyValue key, PyNode node)
    {
        switch (container)
        {
            case DictValue dict when key is ConstValue c && c.AsText() is { } k:
                return dict.Items.TryGetValue(k, out var found) ? found : new UnknownValue(k, Taint.None);
            case ListValue list when key is ConstValue { Value: long index }:
                var i = index < 0 ? list.Items.Length + (int)index : (int)index;
                return i >= 0 && i < list.Items.Length ? list.Items[i] : UnknownValue.Plain;
            case DataFrameValue frame when key is ConstValue { Value: string column }:
                return ColumnValue.Ref(column, node.Line);
            case DataFrameValue frame when key is ColumnValue column:
                return Filter(frame, column, node);
            case DriverDataValue data:
                return FieldOf(data, key is ConstValue { Value: string field } ? field : null, node.Line);
            case TextValue text:
                return new UnknownValue("substring", text.Taint);
            default:
                return new UnknownValue("item", container.Taint.Union(key.Taint));
        }
    }

    /// <summary>A field of a collected row: its taint narrows to that column when known.</summary>
    private static PyValue FieldOf(DriverDataValue data, string? field, int line)
    {
        if (field is null || data.IsRowSequence)
        {
            return new DriverDataValue(data.Origin + " item", data.DataTaint, data.From, data.IsRowSequence && field is null, line);
        }

        // An entry of a dict the code filled itself (a running total, a flag) is not a field of
        // a row: it carries the data's taint but is not tested like a column value.
        if (data.Origin.StartsWith("dict of", StringComparison.Ordinal))
        {
            return new DriverDataValue("entry " + field, data.DataTaint with { IsRow = false }, data.From, false, line);
        }

        var narrowed = data.From is { } frame ? frame.Resolve(field) : [];
        var columns = narrowed.IsEmpty ? data.DataTaint.Columns : narrowed;
        return new DriverDataValue("field " + field, new Taint(data.DataTaint.Tables, columns, false) { Rounded = data.DataTaint.Rounded }, data.From, false, line);
    }

    private PyValue GetAttribute(PyValue receiver, string attribute, PyNode node)
    {
        switch (receiver)
        {
            case ModuleValue module:
                return JobModuleAttribute(module.Name, attribute) ?? Builtins.ModuleAttribute(module.Name, attribute);
            case InstanceValue instance:
                return InstanceAttribute(instance, attribute, node.Line);
            case ClassValue type:
                return type.Find(attribute) ?? new UnknownValue(type.Name + "." + attribute, Taint.None);
            case GlueContextValue { Member: "" } when attribute == "spark_session":
                return new SparkSessionValue();
            case GlueContextValue { Member: "" } glue when attribute is "create_dynamic_frame" or "write_dynamic_frame" or "create_data_frame" or "write_data_frame" or "write_from_options":
                return glue with { Member = attribute };
            case GlueContextValue:
                return new BoundMethodValue(receiver, attribute);
            case SparkSessionValue when attribute == "sparkContext":
                return new ModuleValue("sc");
            case SparkSessionValue when attribute == "read":
                return new ReaderValue(null, ImmutableDictionary<string, string>.Empty, false);
            case SparkSessionValue when attribute == "readStream":
                return new ReaderValue(null, ImmutableDictionary<string, string>.Empty, true);
            case SparkSessionValue when attribute is "conf" or "catalog" or "udf":
                return new ModuleValue("spark." + attribute);
            case DataFrameValue frame when attribute is "write" or "writeStream":
                return new WriterValue(frame, null, null, [], ImmutableDictionary<string, string>.Empty, node.Line);
            case DataFrameValue frame when attribute == "rdd":
                // The RDD methods called on it are the RDD work (getNumPartitions is not).
                return new RddValue(frame);
            case DataFrameValue frame when attribute is "na":
                return frame;
            case DataFrameValue frame when attribute == "columns":
                return frame.OpenTables.IsEmpty
                    ? new ListValue([.. frame.Columns.Keys.Order(StringComparer.Ordinal).Select(c => (PyValue)new ConstValue(c))])
                    : new UnknownValue("columns", Taint.None);
            case DataFrameValue frame when !IsFrameMethod(attribute):
                return ColumnValue.Ref(attribute, node.Line);
            case DriverDataValue data when !data.IsRowSequence && !IsDriverMethod(attribute):
                return FieldOf(data, attribute, node.Line);
            case ColumnValue or DataFrameValue or RddValue or ReaderValue or WriterValue or GroupedValue or WindowValue or DeltaTableValue or DeltaBuilderValue or MergeValue or SparkSessionValue or UdfValue:
                return new BoundMethodValue(receiver, attribute);
            case DriverDataValue or TextValue or ConstValue or ListValue or DictValue:
                return new BoundMethodValue(receiver, attribute);
            default:
                return new BoundMethodValue(receiver, attribute);
        }
    }

    private static bool IsDriverMethod(string name) =>
        name is "get" or "items" or "keys" or "values" or "asDict" or "iterrows" or "itertuples" or "to_dict" or "append" or "strftime" or "isoformat" or "date" or "timestamp";

    private static TextValue ToText(PyValue value, PyNode? source) => value switch
    {
        TextValue text => text,
        ConstValue constant => TextValue.Of(constant.AsText() ?? "None"),
        ColumnValue column => TextValue.Of(column.Sql),
        _ => TextValue.Hole(Describe(source), value.Taint, source?.Line ?? 0),
    };

    /// <summary>Marks text pasted into a string (f-string field, format argument) with its line.</summary>
    internal static TextValue Interpolated(TextValue text, int line) =>
        text with { Parts = [.. text.Parts.Select(p => p with { Interpolated = true, Line = p.Line > 0 ? p.Line : line })] };

    private static int LineOf(PyValue value) => value switch
    {
        ConstValue c => c.Line,
        TextValue t => t.Line,
        _ => 0,
    };

    /// <summary>The expression as written, for placeholders: <c>config['db']</c> and
    /// <c>config['schema']</c> stay two names, never one <c>config[]</c>.</summary>
    internal static string Describe(PyNode? node) => node is null ? "?" : Render(node, 0) ?? node.Kind.ToLowerInvariant();

    private static string? Render(PyNode node, int depth)
    {
        if (depth > 8)
        {
            return "…";
        }

        switch (node.Kind)
        {
            case "Name":
                return node.Str("id");
            case "Attribute":
                return Render(node.Node("value")!, depth + 1) is { } owner ? owner + "." + node.Str("attr") : null;
            case "Subscript":
                var container = Render(node.Node("value")!, depth + 1);
                var key = node.Node("slice") is { } slice ? Render(slice, depth + 1) : null;
                return container is null ? null : container + "[" + (key ?? string.Empty) + "]";
            case "Call":
                var callee = Render(node.Node("func")!, depth + 1);
                var arguments = node.Nodes("args").Select(a => Render(a, depth + 1) ?? "…");
                return callee is null ? null : callee + "(" + string.Join(", ", arguments) + ")";
            case "Constant":
                return node.Const() switch
                {
                    string text => "'" + text + "'",
                    null => "None",
                    var other => Convert.ToString(other, CultureInfo.InvariantCulture),
                };
            case "BinOp":
                var left = Render(node.Node("left")!, depth + 1);
                var right = Render(node.Node("right")!, depth + 1);
                return left is null || right is null ? null : left + " " + OperatorText(node.Node("op")!.Kind) + " " + right;
            case "JoinedStr":
                return "f-string";
            default:
                return null;
        }
    }

    private static string OperatorText(string op) => op switch
    {
        "Add" => "+",
        "Sub" => "-",
        "Mult" => "*",
        "Div" => "/",
        "FloorDiv" => "//",
        "Mod" => "%",
        _ => op,
    };

    /// <summary><c>a.b.c</c> for names and attribute chains, else null.</summary>
    internal static string? Dotted(PyNode node) => node.Kind switch
    {
        "Name" => node.Str("id"),
        "Attribute" => Dotted(node.Node("value")!) is { } prefix ? prefix + "." + node.Str("attr") : null,
        "Call" => Dotted(node.Node("func")!) is { } callee ? callee + "()" : null,
        "Subscript" => Dotted(node.Node("value")!) is { } container ? container + "[]" : null,
        _ => null,
    };

    private PyValue BinaryOperation(string op, PyValue left, PyValue right, PyNode node)
    {
        if (left is ColumnValue || right is ColumnValue)
        {
            var l = AsColumn(left, node.Line);
            var r = AsColumn(right, node.Line);
            var symbol = op switch
            {
                "Add" => "+",
                "Sub" => "-",
                "Mult" => "*",
                "Div" => "/",
                "FloorDiv" => "DIV",
                "Mod" => "%",
                "BitAnd" => "AND",
                "BitOr" => "OR",
                "Pow" => "POWER",
                _ => op,
            };
            // Python's // floors (toward negative infinity); Spark's DIV truncates toward zero:
            // -7 // 2 is -4 in Python and -7 DIV 2 is -3 in Spark. Read it as what it is.
            if (op == "FloorDiv")
            {
                Add(new ExpressionFact("integer_division", $"FLOOR({l.Sql} / {r.Sql})", "floor division of columns") { File = _file, Line = node.Line });
                return l.Derived($"FLOOR({l.Sql} / {r.Sql})", ColumnTraits.None, r);
            }

            return symbol == "POWER"
                ? l.Derived($"POWER({l.Sql}, {r.Sql})", ColumnTraits.None, r)
                : l.Derived($"({l.Sql} {symbol} {r.Sql})", ColumnTraits.None, r);
        }

        if (op == "Add" && (left is TextValue || right is TextValue || left is ConstValue { Value: string } || right is ConstValue { Value: string }))
        {
            if (left is ListValue || right is ListValue)
            {
                return UnknownValue.Plain;
            }

            return TextValue.Concat([ToText(left, node.Node("left")), ToText(right, node.Node("right"))]) with { Line = LineOf(left) };
        }

        if (op == "Add" && left is ListValue a && right is ListValue b)
        {
            return new ListValue(a.Items.AddRange(b.Items));
        }

        if (op == "Mod" && (left is ConstValue { Value: string } || left is TextValue))
        {
            return PercentFormat(ToText(left, node.Node("left")), right, node) is TextValue formatted ? formatted with { Line = LineOf(left) } : UnknownValue.Plain;
        }

        if (left is ConstValue { Value: long x } && right is ConstValue { Value: long y })
        {
            return op switch
            {
                "Add" => new ConstValue(x + y),
                "Sub" => new ConstValue(x - y),
                "Mult" => new ConstValue(x * y),
                _ => new UnknownValue("number", Taint.None),
            };
        }

        var taint = left.Taint.Union(right.Taint);
        var operands = Describe(node.Node("left")) + "|" + Describe(node.Node("right"));
        if (!taint.IsEmpty && op == "FloorDiv")
        {
            Add(new DriverOpFact("integer_division", operands, true) { File = _file, Line = node.Line });
        }

        if (!taint.IsEmpty && op == "Mod")
        {
            Add(new DriverOpFact("modulo", operands, true) { File = _file, Line = node.Line });
        }

        if (op == "Sub" && node.Node("right") is { Kind: "Call" } shift && Dotted(shift.Node("func")!) is "timedelta" or "datetime.timedelta"
            && shift.Nodes("keywords").Any(k => k.Str("arg") is "days" or "weeks"))
        {
            Add(new DriverOpFact("date_window_start", "date minus a number of days", !taint.IsEmpty) { File = _file, Line = node.Line });
        }

        if (taint.Tables.IsEmpty is false && (IsFieldDerived(left) || IsFieldDerived(right)))
        {
            return new DriverDataValue("computed from field", taint, null, false, node.Line);
        }

        if (!taint.IsEmpty && op == "Div" && left is not DataFrameValue)
        {
            Add(new DriverOpFact("division", "division of values computed from data on the driver", true) { File = _file, Line = node.Line });
        }

        return taint.IsEmpty ? new UnknownValue("value", Taint.None) : new DriverDataValue("computed", taint, null, false, node.Line);
    }

    private static bool IsFieldDerived(PyValue value) =>
        value is DriverDataValue { IsRowSequence: false } data && (data.Origin.StartsWith("field ", StringComparison.Ordinal) || data.Origin == "computed from field");

    private static PyValue PercentFormat(TextValue format, PyValue arguments, PyNode node)
    {
        var args = arguments is ListValue { IsTuple: true } tuple ? tuple.Items : [arguments];
        var parts = new List<TextValue>();
        var literal = format.IsKnown ? format.Render() : null;
        if (literal is null)
        {
            return TextValue.Hole("formatted", arguments.Taint);
        }

        var index = 0;
        var start = 0;
        for (var i = 0; i < literal.Length - 1; i++)
        {
            if (literal[i] != '%')
            {
                continue;
            }

            if (literal[i + 1] == '%')
            {
                parts.Add(TextValue.Of(literal[start..i] + "%"));
                i++;
                start = i + 1;
                continue;
            }

            var j = i + 1;
            while (j < literal.Length && !char.IsLetter(literal[j]))
            {
                j++;
            }

            parts.Add(TextValue.Of(literal[start..i]));
            parts.Add(index < args.Length ? Interpolated(ToText(args[index], node), node.Line) : TextValue.Hole("arg", Taint.None, node.Line));
            index++;
            start = Math.Min(j + 1, literal.Length);
            i = j;
        }

        parts.Add(TextValue.Of(literal[start..]));
        return TextValue.Concat(parts);
    }

    private PyValue UnaryOperation(string op, PyValue operand, PyNode node)
    {
        if (operand is ColumnValue column)
        {
            return op switch
            {
                "USub" => column.Derived($"(- {column.Sql})", ColumnTraits.None),
                "Invert" or "Not" => column.Derived($"(NOT {column.Sql})", ColumnTraits.None),
                _ => column,
            };
        }

        if (op == "Not")
        {
            CheckTruthiness(node.Node("operand")!, operand);
            return operand is ConstValue { Value: bool b } ? new ConstValue(!b) : new UnknownValue("bool", operand.Taint);
        }

        if (op == "USub" && operand is ConstValue { Value: long l })
        {
            return new ConstValue(-l);
        }

        if (op == "USub" && operand is ConstValue { Value: double d })
        {
            return new ConstValue(-d);
        }

        return operand is ConstValue ? operand : new UnknownValue("value", operand.Taint);
    }

    private static PyValue BooleanOperation(string op, PyValue[] values, PyNode node)
    {
        if (values.Any(v => v is ColumnValue))
        {
            var columns = values.Select(v => AsColumn(v, node.Line)).ToArray();
            var symbol = op == "And" ? " AND " : " OR ";
            return columns[0].Derived("(" + string.Join(symbol, columns.Select(c => c.Sql)) + ")", ColumnTraits.None, columns[1..]);
        }

        // `x or default`: the first known constant wins, as Python would pick it when x is falsy.
        if (op == "Or")
        {
            foreach (var value in values)
            {
                if (value is ConstValue { Value: not null } or TextValue { IsKnown: true } or DataFrameValue or ListValue or DictValue)
                {
                    return value is ConstValue { Value: string s } && s.Length == 0 ? values[^1] : value;
                }
            }
        }

        var taint = values.Aggregate(Taint.None, (t, v) => t.Union(v.Taint));
        return values.All(v => v is ConstValue { Value: bool })
            ? new ConstValue(op == "And" ? values.All(v => ((ConstValue)v).Value is true) : values.Any(v => ((ConstValue)v).Value is true))
            : new UnknownValue("bool", taint);
    }

    private PyValue Compare(PyNode node)
    {
        var left = Evaluate(node.Node("left"));
        var ops = node.Nodes("ops");
        var comparators = node.Nodes("comparators");
        var current = left;
        PyValue result = UnknownValue.Plain;
        for (var i = 0; i < ops.Length && i < comparators.Length; i++)
        {
            var right = Evaluate(comparators[i]);
            result = CompareOne(ops[i].Kind, current, right, node, comparators[i]);
            current = right;
        }

        return result;
    }

    private PyValue CompareOne(string op, PyValue left, PyValue right, PyNode node, PyNode rightNode)
    {
        if (left is ColumnValue || right is ColumnValue)
        {
            var l = AsColumn(left, node.Line);
            var r = AsColumn(right, node.Line);
            var symbol = op switch
            {
                "Eq" => "=",
                "NotEq" => "<>",
                "Lt" => "<",
                "LtE" => "<=",
                "Gt" => ">",
                "GtE" => ">=",
                _ => op,
            };
            var sql = $"({l.Sql} {symbol} {r.Sql})";
            if (op is "Eq" or "NotEq" && (IsFloatLiteral(left) || IsFloatLiteral(right)))
            {
                Add(new ExpressionFact("float_equality", sql, "exact comparison with a fractional literal") { File = _file, Line = node.Line });
            }

            if (op is "Lt" or "LtE" or "Gt" or "GtE")
            {
                Add(new ExpressionFact("range_" + op.ToLowerInvariant(), sql, RangeBound(left, right)) { File = _file, Line = node.Line });
            }

            return l.Derived(sql, ColumnTraits.None, r);
        }

        var taint = left.Taint.Union(right.Taint);
        if (op is "Eq" or "NotEq" && !taint.IsEmpty && (IsFloatLiteral(left) || IsFloatLiteral(right) || IsFloatConversion(rightNode)))
        {
            Add(new DriverOpFact("float_equality", "exact comparison of a fractional value from data", true) { File = _file, Line = node.Line });
        }

        if (left is ConstValue lc && right is ConstValue rc)
        {
            var equal = Equals(lc.Value, rc.Value);
            return op switch
            {
                "Eq" or "Is" => new ConstValue(equal),
                "NotEq" or "IsNot" => new ConstValue(!equal),
                _ => new UnknownValue("bool", Taint.None),
            };
        }

        if (op is "Is" or "IsNot" && right is ConstValue { Value: null } && left is TextValue { IsKnown: true })
        {
            return new ConstValue(op == "IsNot");
        }

        return new UnknownValue("bool", taint);
    }

    private static string RangeBound(PyValue left, PyValue right)
    {
        var bound = left is ColumnValue ? right : left;
        return bound switch
        {
            ConstValue c => c.AsText() ?? "null",
            TextValue t => t.Render(),
            ColumnValue c => c.Sql,
            _ => "?",
        };
    }

    private static bool IsFloatLiteral(PyValue value) =>
        value is ConstValue { Value: double }
        || value is ColumnValue { Traits: ColumnTraits.Literal } c && c.Sql.Contains('.', StringComparison.Ordinal) && double.TryParse(c.Sql, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static bool IsFloatConversion(PyNode node) =>
        node.Is("Call") && Dotted(node.Node("func")!) == "float";

    internal static ColumnValue AsColumn(PyValue value, int line) => value switch
    {
        ColumnValue column => column,
        ConstValue { Value: string s } => ColumnValue.Literal("'" + s.Replace("'", "\\'", StringComparison.Ordinal) + "'", line),
        ConstValue { Value: null } => ColumnValue.Literal("NULL", line),
        ConstValue { Value: bool b } => ColumnValue.Literal(b ? "TRUE" : "FALSE", line),
        ConstValue { Value: double d } => ColumnValue.Literal(d.ToString("R", CultureInfo.InvariantCulture) + (d == Math.Floor(d) && !double.IsInfinity(d) ? ".0" : string.Empty), line),
        ConstValue c => ColumnValue.Literal(c.AsText() ?? "NULL", line),
        TextValue t => ColumnValue.Literal("'" + t.Render("${{{0}}}") + "'", line),
        ListValue list => new ColumnValue("(" + string.Join(", ", list.Items.Select(i => AsColumn(i, line).Sql)) + ")", [.. list.Items.OfType<ColumnValue>().SelectMany(c => c.Refs)], ColumnTraits.Literal, null, line),
        _ => new ColumnValue(":param", [], ColumnTraits.Literal, null, line),
    };

    private void RecordNumber(PyNode node, object? constant)
    {
        // Magic numbers are only interesting inside Spark expressions or data logic; the
        // assumption pass decides with the surrounding facts.
        var text = constant switch
        {
            long l => l.ToString(CultureInfo.InvariantCulture),
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            _ => null,
        };
        if (text is not null && text is not "0" and not "1" and not "2" and not "-1" and not "100")
        {
            Add(new NumberFact(text, _functions.Count > 0 ? _functions.Peek() : "module") { File = _file, Line = node.Line });
        }
    }

    /// <summary>P1 defect candidate: a data value tested for truth (0, "", NaN-free None...).</summary>
    private void CheckTruthiness(PyNode test, PyValue value)
    {
        var subject = test.Is("UnaryOp") && test.Node("op")!.Is("Not") ? test.Node("operand")! : test;
        if (subject.Kind is not ("Name" or "Attribute" or "Subscript"))
        {
            return;
        }

        var evaluated = ReferenceEquals(subject, test) ? value : Evaluate(subject);
        if (evaluated is DriverDataValue { IsRowSequence: false } data && data.DataTaint.IsRow is false && data.Origin.StartsWith("field ", StringComparison.Ordinal))
        {
            Add(new DriverOpFact("truthiness", $"'{Describe(subject)}' ({data.Origin}) is tested for truth: 0, 0.0 and empty strings count as missing", true) { File = _file, Line = test.Line });
        }
    }
}
