namespace Modernizer.Pipeline.Configuration;

/// <summary>Applies <c>MODERNIZE__SECTION__KEY=value</c> variables over the YAML tree (the double
/// underscore separates levels, names are matched lower-case). A list key takes a comma-separated
/// value. Variables with a single underscore (<c>MODERNIZE_POSTGRES</c>) are not overrides.</summary>
internal static class EnvironmentOverrides
{
    public const string Prefix = "MODERNIZE__";

    public static void Apply(ConfigMap root, IReadOnlyDictionary<string, string> environment)
    {
        foreach (var (name, value) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var path = name[Prefix.Length..].Split("__").Select(p => p.ToLowerInvariant()).ToArray();
            if (path.Any(string.IsNullOrEmpty))
            {
                continue;
            }

            var origin = new ConfigOrigin("environment variable " + name, null);
            var map = root;
            foreach (var part in path[..^1])
            {
                if (map[part] is not ConfigMap child)
                {
                    child = new ConfigMap(origin);
                    map.Set(part, child);
                }

                map = child;
            }

            map.Set(path[^1], new ConfigScalar(origin, value));
        }
    }
}
