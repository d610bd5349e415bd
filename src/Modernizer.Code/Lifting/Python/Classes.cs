using System.Collections.Immutable;
using Modernizer.Code.Python;

namespace Modernizer.Code.Lifting.Python;

/// <summary>User classes: instances with attributes, methods bound to them. Enough for the metrics,
/// timers and settings holders legacy jobs define around their Spark work.</summary>
internal static class Classes
{
    public static PyValue Instantiate(DriverInterpreter interpreter, PyClass type, CallArguments arguments)
    {
        var instance = new PyInstance(type);
        if (Method(interpreter, instance, "__init__", arguments.Site) is { } init)
        {
            interpreter.Invoke(init, arguments);
        }

        return instance;
    }

    /// <summary>A method of the instance's class, bound to it (self first).</summary>
    public static PyValue? Method(DriverInterpreter interpreter, PyInstance instance, string name, PyNode site)
    {
        var definition = instance.Class.Node.Nodes("body").FirstOrDefault(s => s.Is("FunctionDef") && s.Str("name") == name);
        if (definition is null)
        {
            return ClassVariable(interpreter, instance.Class, name, site);
        }

        var decorators = definition.Nodes("decorator_list").Select(d => d.Is("Name") ? d.Str("id") : d.Is("Attribute") ? d.Str("attr") : null).ToList();
        if (decorators.Contains("contextmanager"))
        {
            // A generator used as a with-block context (timers, spans): it changes no rows.
            return new PyBuiltin($"{instance.Class.Name}.{name}", _ => new PyObject("context manager", _ => null));
        }

        if (decorators.Contains("property"))
        {
            return interpreter.Invoke(Function(interpreter, instance.Class, definition), new CallArguments([instance], ImmutableDictionary<string, PyValue>.Empty, site));
        }

        var function = Function(interpreter, instance.Class, definition);
        var isStatic = definition.Nodes("decorator_list").Any(d => d.Is("Name") && d.Str("id") == "staticmethod");
        return isStatic ? function : new PyBuiltin($"{instance.Class.Name}.{name}", a => interpreter.Invoke(function, a with { Positional = a.Positional.Insert(0, instance) }));
    }

    public static PyValue ClassAttribute(DriverInterpreter interpreter, PyClass type, string name, PyNode site)
    {
        var definition = type.Node.Nodes("body").FirstOrDefault(s => s.Is("FunctionDef") && s.Str("name") == name);
        return definition is not null ? Function(interpreter, type, definition) : ClassVariable(interpreter, type, name, site) ?? throw interpreter.Refuse($"the attribute {type.Name}.{name}", site);
    }

    private static PyFunction Function(DriverInterpreter interpreter, PyClass type, PyNode definition)
    {
        var arguments = definition.Node("args")!;
        return new PyFunction(definition.Str("name")!, definition, type.Closure,
            [.. arguments.Nodes("defaults").Select(d => (PyValue?)interpreter.Evaluate(d, type.Closure))],
            [.. arguments.Nodes("kw_defaults").Select(d => d is null ? null : (PyValue?)interpreter.Evaluate(d, type.Closure))]);
    }

    private static PyValue? ClassVariable(DriverInterpreter interpreter, PyClass type, string name, PyNode site)
    {
        foreach (var statement in type.Node.Nodes("body").Where(s => s.Is("Assign")))
        {
            if (statement.Nodes("targets").Any(t => t.Is("Name") && t.Str("id") == name))
            {
                return interpreter.Evaluate(statement.Node("value")!, type.Closure);
            }
        }

        return null;
    }
}
