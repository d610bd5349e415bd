namespace Modernizer.Code.Lifting.Python;

/// <summary>A Python namespace: a module's globals or a function call's locals (with the scope the
/// function was defined in as parent, which gives closures their outer variables).</summary>
internal sealed class PyScope(PyScope? parent, string name)
{
    private readonly Dictionary<string, PyValue> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _globals = new(StringComparer.Ordinal);

    public PyScope? Parent { get; } = parent;

    public string Name { get; } = name;

    public PyScope Module => Parent?.Module ?? this;

    public bool TryGet(string variable, out PyValue value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._values.TryGetValue(variable, out value!))
            {
                return true;
            }
        }

        value = PyNone.Instance;
        return false;
    }

    public void Set(string variable, PyValue value)
    {
        if (_globals.Contains(variable))
        {
            Module._values[variable] = value;
            return;
        }

        _values[variable] = value;
    }

    public void DeclareGlobal(string variable) => _globals.Add(variable);

    public bool HasLocal(string variable) => _values.ContainsKey(variable);

    /// <summary>The scope that holds the variable (for rebinding an outer variable).</summary>
    public PyScope? Owner(string variable)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._values.ContainsKey(variable))
            {
                return scope;
            }
        }

        return null;
    }

    public IEnumerable<KeyValuePair<string, PyValue>> Locals => _values;
}
