using System.Collections.Immutable;
using System.Globalization;
using System.Numerics;
using System.Text;
using Modernizer.Code.Lifting.Spark;
using Modernizer.Code.Python;
using Modernizer.Code.Sql.Syntax;

namespace Modernizer.Code.Lifting.Python;

internal sealed partial class DriverInterpreter
{
    private PyValue EvaluateExpression(PyNode node, PyScope scope)
    {
        switch (node.Kind)
        {
            case "Constant":
                return Constant(node.Const(), node);
            case "Name":
                var name = node.Str("id")!;
                return scope.TryGet(name, out var bound) ? bound : throw Refuse($"the name '{name}' is not defined here", node);
            case "Attribute":
                return Attribute(Evaluate(node.Node("value")!, scope), node.Str("attr")!, node);
            case "Subscript":
                return Subscript(Evaluate(node.Node("value")!, scope), node.Node("slice")!, scope, node);
            case "Call":
                return Call(node, scope);
            case "BinOp":
                return BinaryOperation(node.Node("op")!.Kind, Evaluate(node.Node("left")!, scope), Evaluate(node.Node("right")!, scope), node, inPlace: false);
            case "UnaryOp":
                return UnaryOperation(node.Node("op")!.Kind, Evaluate(node.Node("operand")!, scope), node);
            case "BoolOp":
                return BooleanOperation(node, scope);
            case "Compare":
                return Comparison(node, scope);
            case "IfExp":
                var test = Condition(node.Node("test")!, scope);
                return Truth.TryConcrete(test) switch
                {
                    true => Evaluate(node.Node("body")!, scope),
                    false => Evaluate(node.Node("orelse")!, scope),
                    null => ValueOps.Phi(Truth.Of(test, node, this), EvaluateConditionally(node.Node("body")!, scope), EvaluateConditionally(node.Node("orelse")!, scope), node, this),
                };
            case "List":
                return new PyList(Elements(node.Nodes("elts"), scope));
            case "Tuple":
                return new PyTuple([.. Elements(node.Nodes("elts"), scope)]);
            case "Set":
                return new PySet(Elements(node.Nodes("elts"), scope));
            case "Dict":
                var dict = new PyDict();
                var keys = node.Nodes("keys");
                var values = node.Nodes("values");
                for (var i = 0; i < values.Length; i++)
                {
                    var key = i < keys.Length ? keys[i] : null;
                    if (key is null)
                    {
                        // {**other}: the other dict's entries.
                        if (Evaluate(values[i], scope) is not PyDict other)
                        {
                            throw Refuse("** of a value that is not a dict", node);
                        }

                        foreach (var entry in other.Entries)
                        {
                            dict.Set(entry.Key, entry.Value);
                        }
                    }
                    else
                    {
                        dict.Set(Hashable(Evaluate(key, scope), key), Evaluate(values[i], scope));
                    }
                }

                return dict;
            case "ListComp" or "SetComp" or "GeneratorExp":
                if (OverRows(node, scope))
                {
                    return node.Is("SetComp") ? throw Refuse("a set comprehension over rows", node) : Rows.RowLoopLifter.LiftComprehension(this, node, scope);
                }

                var guarded = new List<(Expr? Guard, PyValue Item)>();
                var items = Comprehension(node, scope, (inner, guard, list) =>
                {
                    var item = Evaluate(node.Node("elt")!, inner);
                    list.Add(item);
                    guarded.Add((guard, item));
                });
                if (guarded.Any(g => g.Guard is not null))
                {
                    return node.Is("SetComp") ? throw Refuse("a set built under conditions known only at run time", node) : new Rows.GuardedList([.. guarded.Select(g => (g.Guard ?? (Expr)Literal.Of(true), g.Item))]);
                }

                return node.Is("SetComp") ? new PySet(Distinct(items)) : new PyList(items);
            case "DictComp":
                var built = new PyDict();
                Comprehension(node, scope, (inner, guard, _) =>
                {
                    if (guard is not null)
                    {
                        throw Refuse("a dict comprehension with conditions known only at run time", node);
                    }

                    built.Set(Hashable(Evaluate(node.Node("key")!, inner), node), Evaluate(node.Node("value")!, inner));
                });
                return built;
            case "JoinedStr":
                return FormattedString(node, scope);
            case "FormattedValue":
                return Format(Evaluate(node.Node("value")!, scope), node, scope);
            case "Lambda":
                var arguments = node.Node("args")!;
                return new PyFunction("<lambda>", node, scope,
                    [.. arguments.Nodes("defaults").Select(d => (PyValue?)Evaluate(d, scope))],
                    [.. arguments.Nodes("kw_defaults").Select(d => d is null ? null : (PyValue?)Evaluate(d, scope))]);
            case "NamedExpr":
                var assigned = Evaluate(node.Node("value")!, scope);
                Assign(node.Node("target")!, assigned, scope);
                return assigned;
            case "Starred":
                throw Refuse("a starred expression outside a call or a literal", node);
            default:
                throw Refuse($"the Python expression {node.Kind}", node);
        }
    }

    private PyValue Constant(object? value, PyNode node) => value switch
    {
        null => PyNone.Instance,
        bool b => PyBool.Of(b),
        long l => new PyInt(new BigInteger(l)),
        double d => new PyFloat(d),
        string s => new PyStr(s),
        PyOtherConstant other => other.TypeName switch
        {
            "int" => new PyInt(BigInteger.Parse(other.Repr, CultureInfo.InvariantCulture)),
            "float" => new PyFloat(other.Repr switch
            {
                "inf" => double.PositiveInfinity,
                "-inf" => double.NegativeInfinity,
                "nan" => double.NaN,
                var text => double.Parse(text, CultureInfo.InvariantCulture),
            }),
            _ => throw Refuse($"a {other.TypeName} constant", node),
        },
        _ => throw Refuse("a constant of an unknown kind", node),
    };

    private List<PyValue> Elements(ImmutableArray<PyNode> elements, PyScope scope)
    {
        var values = new List<PyValue>();
        foreach (var element in elements)
        {
            if (element.Is("Starred"))
            {
                var spread = Evaluate(element.Node("value")!, scope);
                values.AddRange(Iteration.TryConcrete(spread, this, element) ?? throw Refuse("* of a value that is not a known sequence", element));
            }
            else
            {
                values.Add(Evaluate(element, scope));
            }
        }

        return values;
    }

    private static List<PyValue> Distinct(List<PyValue> items)
    {
        var result = new List<PyValue>();
        foreach (var item in items)
        {
            if (!result.Any(r => PyEquality.KeyEquals(r, item)))
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>Keys of a dict (and set members) must be concrete here; symbolic keys are the row lifter's.</summary>
    private PyValue Hashable(PyValue key, PyNode site) => key switch
    {
        PyList or PyDict or PySet => throw Refuse($"an unhashable {key.TypeName} as a dict key (TypeError in Python)", site),
        SqlScalar => throw Refuse("a dict keyed by a value known only at run time, outside a lifted loop", site),
        _ => key,
    };

    /// <summary>Runs a comprehension's generators; over collected rows it is a lifted loop.</summary>
    private List<PyValue> Comprehension(PyNode node, PyScope scope, Action<PyScope, Expr?, List<PyValue>> produce)
    {
        var results = new List<PyValue>();
        var inner = new PyScope(scope, "<comprehension>");
        var generators = node.Nodes("generators");

        void Generate(int index, Expr? guard)
        {
            if (index == generators.Length)
            {
                produce(inner, guard, results);
                return;
            }

            var generator = generators[index];
            var iterable = Evaluate(generator.Node("iter")!, inner);
            var items = Iteration.TryConcrete(iterable, this, generator) ?? throw Refuse("a nested comprehension over data known only at run time", generator);
            foreach (var item in items)
            {
                Assign(generator.Node("target")!, item, inner);
                var keep = true;
                var itemGuard = guard;
                foreach (var condition in generator.Nodes("ifs"))
                {
                    var value = Condition(condition, inner);
                    var truth = Truth.TryConcrete(value);
                    if (truth is null)
                    {
                        var sql = Truth.Of(value, condition, this);
                        itemGuard = itemGuard is null ? sql : new Binary(BinaryOp.And, itemGuard, sql);
                        continue;
                    }

                    keep &= truth.Value;
                }

                if (keep)
                {
                    Generate(index + 1, itemGuard);
                }
            }
        }

        Generate(0, null);
        return results;
    }

    /// <summary>A comprehension whose one generator iterates rows known only at run time.</summary>
    private bool OverRows(PyNode node, PyScope scope)
    {
        var generators = node.Nodes("generators");
        return generators.Length == 1 && Iteration.TryConcrete(Evaluate(generators[0].Node("iter")!, scope), this, node) is null;
    }

    private PyValue FormattedString(PyNode node, PyScope scope)
    {
        var parts = node.Nodes("values").Select(part => part.Is("Constant") ? new PyStr((string)part.Const()!) : Evaluate(part, scope)).ToList();
        return Texts.Concat(parts, node, this);
    }

    private PyValue Format(PyValue value, PyNode node, PyScope scope)
    {
        var conversion = node.Const("conversion") is long c ? (int)c : -1;
        if (node.Node("format_spec") is { } spec)
        {
            var specText = FormattedString(spec, scope);
            if (specText is not PyStr { Value: var format })
            {
                throw Refuse("a computed format specification", node);
            }

            return Texts.FormatSpec(value, format, node, this);
        }

        return conversion == 'r' ? Texts.Repr(value, node, this) : Texts.Str(value, node, this);
    }

    public void Assign(PyNode target, PyValue value, PyScope scope)
    {
        switch (target.Kind)
        {
            case "Name":
                var name = target.Str("id")!;
                if (Row is not null)
                {
                    Row.Rebind(name, value, scope);
                }

                scope.Set(name, value);
                break;
            case "Tuple" or "List":
                var targets = target.Nodes("elts");
                var values = Iteration.Unpack(value, targets.Length, this, target);
                for (var i = 0; i < targets.Length; i++)
                {
                    Assign(targets[i], values[i], scope);
                }

                break;
            case "Subscript":
                var container = Evaluate(target.Node("value")!, scope);
                var key = Evaluate(target.Node("slice")!, scope);
                SetItem(container, key, value, target);
                break;
            case "Attribute":
                var owner = Evaluate(target.Node("value")!, scope);
                switch (owner)
                {
                    case PyInstance instance:
                        Mutating(instance, target);
                        instance.Attributes[target.Str("attr")!] = value;
                        break;
                    case PyObject:
                        // Attributes set on library objects (logger.level = ...) change no rows.
                        break;
                    default:
                        throw Refuse($"setting an attribute of a {owner.TypeName}", target);
                }

                break;
            case "Starred":
                Assign(target.Node("value")!, value, scope);
                break;
            default:
                throw Refuse($"assignment to {target.Kind}", target);
        }
    }

    private void SetItem(PyValue container, PyValue key, PyValue value, PyNode site)
    {
        if (Row is not null && Row.TrySetItem(container, key, value, site))
        {
            return;
        }

        switch (container)
        {
            case PyDict dict:
                Mutating(dict, site);
                dict.Set(Hashable(key, site), value);
                break;
            case PyList list when key is PyInt index:
                Mutating(list, site);
                var i = (int)index.Value;
                list.Items[i < 0 ? list.Items.Count + i : i] = value;
                break;
            default:
                throw Refuse($"item assignment on a {container.TypeName}", site);
        }
    }

    private PyValue Subscript(PyValue container, PyNode slice, PyScope scope, PyNode site)
    {
        if (slice.Is("Slice"))
        {
            var lower = slice.Node("lower") is { } l ? Evaluate(l, scope) : PyNone.Instance;
            var upper = slice.Node("upper") is { } u ? Evaluate(u, scope) : PyNone.Instance;
            return ValueOps.Slice(container, lower, upper, site, this);
        }

        var key = Evaluate(slice, scope);
        if (Row is not null && Row.TryGetItem(container, key, site) is { } fromRow)
        {
            return fromRow;
        }

        return ValueOps.Item(container, key, site, this);
    }

    private PyValue UnaryOperation(string op, PyValue operand, PyNode site)
    {
        switch (op, operand)
        {
            case ("Not", _):
                return Truth.TryConcrete(operand) is { } truth ? PyBool.Of(!truth) : new SqlScalar(new Unary(UnaryOp.Not, Truth.Of(operand, site, this)), PyKind.Bool, false);
            case ("USub", PyInt i):
                return new PyInt(-i.Value);
            case ("USub", PyFloat f):
                return new PyFloat(-f.Value);
            case ("USub", PyDecimal d):
                return new PyDecimal(-d.Value);
            case ("USub", SqlScalar s):
                return s with { Sql = new Unary(UnaryOp.Negate, s.Sql) };
            case ("USub", ColumnValue c):
                return c.Derive(new Unary(UnaryOp.Negate, c.Expr));
            case ("UAdd", _):
                return operand;
            case ("Invert", ColumnValue c):
                return c.Derive(new Unary(UnaryOp.Not, c.Expr));
            case ("Invert", PyInt i):
                return new PyInt(-i.Value - 1);
            default:
                throw Refuse($"the unary operator {op} on a {operand.TypeName}", site);
        }
    }

    /// <summary>An expression in a boolean context (if, while, assert, a conditional expression, a
    /// comprehension filter): only its truth matters, so and/or/not combine truth values and never need
    /// a value of mixed type. Python evaluates the right operand only when the left did not decide, so
    /// the SQL is a CASE (evaluated lazily by both engines), never AND/OR, whose operands Spark and
    /// DuckDB may evaluate in any order and so raise an error Python never reaches.</summary>
    internal PyValue Condition(PyNode test, PyScope scope)
    {
        if (test.Kind == "UnaryOp" && test.Node("op")!.Is("Not"))
        {
            var operand = Condition(test.Node("operand")!, scope);
            return Truth.TryConcrete(operand) is { } known ? PyBool.Of(!known) : new SqlScalar(new Unary(UnaryOp.Not, Truth.Of(operand, test, this)), PyKind.Bool, false);
        }

        if (test.Kind != "BoolOp")
        {
            return Evaluate(test, scope);
        }

        var isAnd = test.Node("op")!.Is("And");
        var operands = test.Nodes("values");
        var pending = new List<Expr>();
        foreach (var operand in operands)
        {
            var value = Condition(operand, scope);
            if (Truth.TryConcrete(value) is { } truth)
            {
                if (truth != isAnd)
                {
                    // This operand decides: the ones before it that did not decide still run first.
                    return pending.Count == 0 ? PyBool.Of(truth) : new SqlScalar(Chain(pending, Literal.Of(truth), isAnd), PyKind.Bool, false);
                }

                continue;
            }

            pending.Add(Truth.Of(value, operand, this));
        }

        return pending.Count == 0 ? PyBool.Of(isAnd) : new SqlScalar(Chain(pending, Literal.Of(isAnd), isAnd), PyKind.Bool, false);
    }

    /// <summary>a and b and ... then last: CASE WHEN a THEN (CASE WHEN b THEN last ELSE FALSE END) ELSE FALSE END
    /// (or the mirror image for or), folded so a lone condition stays as it is.</summary>
    private static Expr Chain(List<Expr> conditions, Expr last, bool isAnd)
    {
        var result = last;
        for (var i = conditions.Count - 1; i >= 0; i--)
        {
            var condition = conditions[i];
            if (result is Literal { Kind: LiteralKind.Boolean } end && (end.Value == "true") == isAnd)
            {
                // a and TRUE is a; a or FALSE is a.
                result = condition;
                continue;
            }

            result = isAnd
                ? new Case(null, [new WhenClause(condition, result)], Literal.Of(false))
                : new Case(null, [new WhenClause(condition, Literal.Of(true))], result);
        }

        return result;
    }

    private PyValue BooleanOperation(PyNode node, PyScope scope)
    {
        var isAnd = node.Node("op")!.Is("And");
        var operands = node.Nodes("values");
        var result = Evaluate(operands[0], scope);
        for (var i = 1; i < operands.Length; i++)
        {
            var truth = Truth.TryConcrete(result);
            if (truth is not null)
            {
                // Short-circuit: and returns the first false operand, or returns the first true one.
                if (isAnd != truth.Value)
                {
                    return result;
                }

                result = Evaluate(operands[i], scope);
                continue;
            }

            var next = EvaluateConditionally(operands[i], scope);
            var condition = Truth.Of(result, node, this);
            result = isAnd ? ValueOps.Phi(condition, next, result, node, this) : ValueOps.Phi(condition, result, next, node, this);
        }

        return result;
    }

    private PyValue Comparison(PyNode node, PyScope scope)
    {
        var left = Evaluate(node.Node("left")!, scope);
        var operators = node.Nodes("ops");
        var comparators = node.Nodes("comparators");
        PyValue? result = null;
        for (var i = 0; i < operators.Length; i++)
        {
            var right = Evaluate(comparators[i], scope);
            var step = ValueOps.Compare(operators[i].Kind, left, right, node, this);
            result = result is null ? step : ValueOps.And(result, step, node, this);
            if (Truth.TryConcrete(result) == false)
            {
                return result;
            }

            left = right;
        }

        return result!;
    }

    public PyValue BinaryOperation(string op, PyValue left, PyValue right, PyNode site, bool inPlace)
    {
        if (left is ColumnValue || right is ColumnValue)
        {
            return Spark.ColumnOperator(op, left, right, site);
        }

        if (Row is not null && Row.TryOperate(op, left, right, site) is { } lifted)
        {
            return lifted;
        }

        return ValueOps.Binary(op, left, right, site, this, inPlace);
    }

    private PyValue Attribute(PyValue owner, string name, PyNode site)
    {
        if (Row is not null && Row.TryAttribute(owner, name, site) is { } fromRow)
        {
            return fromRow;
        }

        return owner switch
        {
            PyObject obj => obj.Attribute(name) ?? throw Refuse($"{obj.Kind}.{name}", site),
            PyInstance instance => instance.Attributes.TryGetValue(name, out var value)
                ? value
                : Classes.Method(this, instance, name, site) ?? throw Refuse($"the attribute {instance.Class.Name}.{name}", site),
            PyClass type => Classes.ClassAttribute(this, type, name, site),
            _ => Methods.Of(this, owner, name, site) ?? throw Refuse($"the attribute .{name} of a {owner.TypeName}", site),
        };
    }

    /// <summary>Sees through a decorator that only wraps its function (retries, timing, logging): the
    /// wrapper calls the function with the same arguments and returns its result when it succeeds.</summary>
    private PyValue Decorate(PyNode decorator, PyValue function, PyScope scope)
    {
        var callee = decorator.Is("Call") ? decorator.Node("func")! : decorator;
        var name = callee.Is("Name") ? callee.Str("id") : callee.Is("Attribute") ? callee.Str("attr") : null;
        if (name is "staticmethod" or "classmethod" or "property" or "wraps" or "lru_cache" or "cache")
        {
            return function;
        }

        if (function is PyFunction inner && Evaluate(callee, scope) is PyFunction decorating && Wrappers.IsTransparent(decorating))
        {
            return inner with { TransparentDecorators = inner.TransparentDecorators.Add(name ?? "decorator") };
        }

        if (name is not null && Modules.IsIgnorableDecorator(name))
        {
            return function;
        }

        throw Refuse($"the decorator {name ?? decorator.Kind} (its effect on the function cannot be reproduced)", decorator);
    }
}
