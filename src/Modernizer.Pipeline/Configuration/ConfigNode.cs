namespace Modernizer.Pipeline.Configuration;

/// <summary>Where a configuration value came from: a file and line, or an environment variable.</summary>
internal sealed record ConfigOrigin(string Source, int? Line)
{
    public override string ToString() => Line is { } line ? $"{Source}:{line}" : Source;
}

/// <summary>The configuration as a tree that remembers origins, so that every validation error can
/// name the file, line and key. YAML and environment overrides both produce it.</summary>
internal abstract class ConfigNode(ConfigOrigin origin)
{
    public ConfigOrigin Origin { get; set; } = origin;
}

internal sealed class ConfigScalar(ConfigOrigin origin, string? value) : ConfigNode(origin)
{
    /// <summary>Null for YAML's null (<c>~</c>, <c>null</c> or an empty value).</summary>
    public string? Value { get; } = value;
}

internal sealed class ConfigSequence(ConfigOrigin origin, IReadOnlyList<ConfigNode> items) : ConfigNode(origin)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;
}

internal sealed class ConfigMap(ConfigOrigin origin) : ConfigNode(origin)
{
    private readonly List<KeyValuePair<string, ConfigNode>> _entries = [];

    public IReadOnlyList<KeyValuePair<string, ConfigNode>> Entries => _entries;

    public ConfigNode? this[string key] => _entries.FirstOrDefault(e => e.Key == key).Value;

    public void Set(string key, ConfigNode value)
    {
        var index = _entries.FindIndex(e => e.Key == key);
        if (index >= 0)
        {
            _entries[index] = new(key, value);
        }
        else
        {
            _entries.Add(new(key, value));
        }
    }
}
