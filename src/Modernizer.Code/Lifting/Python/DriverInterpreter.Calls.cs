using System.Collections.Immutable;
using Modernizer.Code.Python;

namespace Modernizer.Code.Lifting.Python;

internal sealed partial class DriverInterpreter
{
    private PyValue Call(PyNode node, PyScope scope)
    {
        var callee = Evaluate(node.Node("func")!, scope);
        var arguments = Arguments(node, scope);
        return Invoke(callee, arguments);
    }

    public CallArguments Arguments(PyNode node, PyScope scope)
    {
        var positional = ImmutableArray.CreateBuilder<PyValue>();
        foreach (var argument in node.Nodes("args"))
        {
            if (argument.Is("Starred"))
            {
                var spread = Evaluate(argument.Node("value")!, scope);
                positional.AddRange(Iteration.TryConcrete(spread, this, argument) ?? throw Refuse("*args of a value that is not a known sequence", argument));
            }
            else
            {
                positional.Add(Evaluate(argument, scope));
            }
        }

        var keywords = ImmutableDictionary.CreateBuilder<string, PyValue>(StringComparer.Ordinal);
        var order = ImmutableArray.CreateBuilder<string>();
        foreach (var keyword in node.Nodes("keywords"))
        {
            var value = Evaluate(keyword.Node("value")!, scope);
            if (keyword.Str("arg") is { } name)
            {
                keywords[name] = value;
                order.Add(name);
            }
            else if (value is PyDict dict)
            {
                foreach (var entry in dict.Entries)
                {
                    var key = entry.Key is PyStr text ? text.Value : throw Refuse("**kwargs with a key that is not a string", keyword);
                    keywords[key] = entry.Value;
                    order.Add(key);
                }
            }
            else
            {
                throw Refuse("**kwargs of a value that is not a dict", keyword);
            }
        }

        return new CallArguments(positional.ToImmutable(), keywords.ToImmutable(), node) { KeywordOrder = order.ToImmutable() };
    }

    public PyValue Invoke(PyValue callee, CallArguments arguments)
    {
        switch (callee)
        {
            case PyFunction function:
                return CallFunction(function, arguments);
            case PyBuiltin builtin:
                return builtin.Invoke(arguments);
            case PyClass type:
                return Classes.Instantiate(this, type, arguments);
            case PyUnknown unknown:
                return unknown;
            default:
                throw Refuse($"calling a {callee.TypeName}", arguments.Site);
        }
    }
}
