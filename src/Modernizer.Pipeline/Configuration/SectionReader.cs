using System.Collections.Immutable;
using System.Globalization;

namespace Modernizer.Pipeline.Configuration;

/// <summary>Reads typed values from one mapping, recording an error (with origin and dotted key) for
/// each bad value and, at <see cref="Finish"/>, for each key nobody asked for.</summary>
internal sealed class SectionReader
{
    private readonly ConfigMap? _map;
    private readonly string _path;
    private readonly List<ConfigError> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public SectionReader(ConfigMap? map, string path, List<ConfigError> errors)
    {
        _map = map;
        _path = path;
        _errors = errors;
    }

    public ConfigOrigin? Origin => _map?.Origin;

    public string Key(string key) => _path.Length == 0 ? key : _path + "." + key;

    public SectionReader Section(string key)
    {
        var node = Take(key);
        if (node is null or ConfigScalar { Value: null })
        {
            return new SectionReader(null, Key(key), _errors);
        }

        if (node is ConfigMap map)
        {
            return new SectionReader(map, Key(key), _errors);
        }

        Error(node, key, "expected a mapping");
        return new SectionReader(null, Key(key), _errors);
    }

    public int Int(string key, int fallback, int min, int max) =>
        ReadScalar(key, fallback, text =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : null,
            $"expected a whole number from {min} to {max}");

    public long Long(string key, long fallback, long min) =>
        ReadScalar<long>(key, fallback, text =>
            long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min ? v : null,
            $"expected a whole number of at least {min}");

    public double Double(string key, double fallback, double min, double max) =>
        ReadScalar<double>(key, fallback, text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max ? v : null,
            string.Create(CultureInfo.InvariantCulture, $"expected a number from {min} to {max}"));

    public decimal Decimal(string key, decimal fallback, decimal min) =>
        ReadScalar<decimal>(key, fallback, text =>
            decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min ? v : null,
            string.Create(CultureInfo.InvariantCulture, $"expected a number of at least {min}"));

    public bool Bool(string key, bool fallback) =>
        ReadScalar<bool>(key, fallback, text => text.ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => null,
        }, "expected true or false");

    public string? String(string key, string? fallback)
    {
        var node = Take(key);
        switch (node)
        {
            case null:
                return fallback;
            case ConfigScalar scalar:
                return scalar.Value;
            default:
                Error(node, key, "expected a single value");
                return fallback;
        }
    }

    public T Enum<T>(string key, T fallback, IReadOnlyDictionary<string, T> names)
        where T : struct
    {
        var node = Take(key);
        if (node is null or ConfigScalar { Value: null })
        {
            return fallback;
        }

        if (node is ConfigScalar { Value: { } text } && names.TryGetValue(text.Trim().ToLowerInvariant(), out var value))
        {
            return value;
        }

        Error(node, key, "expected one of: " + string.Join(", ", names.Keys));
        return fallback;
    }

    public ImmutableArray<string> StringList(string key, ImmutableArray<string> fallback)
    {
        var items = List(key);
        if (items is null)
        {
            return fallback;
        }

        var result = ImmutableArray.CreateBuilder<string>();
        foreach (var item in items)
        {
            if (item is ConfigScalar { Value: { } text } && text.Length > 0)
            {
                result.Add(text);
            }
            else
            {
                Error(item, key, "expected a list of non-empty text values");
            }
        }

        return result.ToImmutable();
    }

    public ImmutableArray<int> IntList(string key, ImmutableArray<int> fallback, int min, int max)
    {
        var items = List(key);
        if (items is null)
        {
            return fallback;
        }

        var result = ImmutableArray.CreateBuilder<int>();
        foreach (var item in items)
        {
            if (item is ConfigScalar { Value: { } text }
                && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max)
            {
                result.Add(v);
            }
            else
            {
                Error(item, key, $"expected a list of whole numbers from {min} to {max}");
            }
        }

        return result.ToImmutable();
    }

    public ImmutableSortedDictionary<string, string> StringMap(string key, ImmutableSortedDictionary<string, string> fallback)
    {
        var node = Take(key);
        if (node is null)
        {
            return fallback;
        }

        if (node is not ConfigMap map)
        {
            if (node is not ConfigScalar { Value: null })
            {
                Error(node, key, "expected a mapping of text to text");
            }

            return node is ConfigScalar { Value: null } ? ImmutableSortedDictionary.Create<string, string>(StringComparer.Ordinal) : fallback;
        }

        var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in map.Entries)
        {
            if (value is ConfigScalar { Value: { } text } && text.Length > 0)
            {
                result[name] = text;
            }
            else
            {
                Error(value, key + "." + name, "expected a text value");
            }
        }

        return result.ToImmutable();
    }

    /// <summary>Records an error at the node's origin (or, without a node, the section's). One origin
    /// whole: a value from an environment variable is named by the variable, never with the line of
    /// the YAML section it overrides.</summary>
    public void Error(ConfigNode? node, string key, string message)
    {
        var origin = node?.Origin ?? _map?.Origin;
        _errors.Add(new ConfigError(origin?.Source ?? "modernize.yaml", origin?.Line, Key(key), message));
    }

    public ConfigNode? Node(string key) => _map?[key];

    /// <summary>A key that must not be set (a secret belongs in the environment); reported once.</summary>
    public void Forbid(string key, string message)
    {
        if (Take(key) is { } node)
        {
            Error(node, key, message);
        }
    }

    /// <summary>Reports every key of this mapping that was not read.</summary>
    public void Finish()
    {
        if (_map is null)
        {
            return;
        }

        foreach (var (name, value) in _map.Entries)
        {
            if (!_known.Contains(name))
            {
                Error(value, name, "unknown key (expected one of: " + string.Join(", ", _known.Order(StringComparer.Ordinal)) + ")");
            }
        }
    }

    private ConfigNode? Take(string key)
    {
        _known.Add(key);
        return _map?[key];
    }

    private IReadOnlyList<ConfigNode>? List(string key)
    {
        var node = Take(key);
        switch (node)
        {
            case null:
                return null;
            case ConfigSequence sequence:
                return sequence.Items;
            case ConfigScalar { Value: null } scalar:
                return [];
            case ConfigScalar { Value: { } text } scalar when scalar.Origin.Line is null:
                // From an environment variable: a comma-separated list.
                return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(part => (ConfigNode)new ConfigScalar(scalar.Origin, part)).ToArray();
            default:
                Error(node, key, "expected a list");
                return null;
        }
    }

    private T ReadScalar<T>(string key, T fallback, Func<string, T?> parse, string expected)
        where T : struct
    {
        var node = Take(key);
        if (node is null)
        {
            return fallback;
        }

        if (node is ConfigScalar { Value: { } text } && parse(text.Trim()) is { } value)
        {
            return value;
        }

        Error(node, key, expected + (node is ConfigScalar { Value: { } got } ? $" (got '{got}')" : string.Empty));
        return fallback;
    }
}
