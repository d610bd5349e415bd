using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Modernizer.Domain.Workspace;

namespace Modernizer.Specs.Testing.Running;

/// <summary>The rewrite as it is on disk (the Code Writer's contract): the DuckDB rendering per target,
/// the Spark SQL deliverable, the parameters and their types from rewrite.json, and the rewrite hash.
/// The test runner never regenerates any of it.</summary>
public sealed record RewriteFiles(RewriteLayout Layout, ImmutableDictionary<string, string?> ParameterTypes, string Hash)
{
    public static RewriteFiles Load(RewriteLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        if (!Directory.Exists(layout.Folder) || !Directory.EnumerateFiles(layout.Folder, "*.sql").Any())
        {
            throw new FileNotFoundException($"No rewrite in {layout.Folder}: the Code Writer has not written <job>.duckdb.sql / <job>.sql yet.", layout.Folder);
        }

        var types = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.Ordinal);
        if (File.Exists(layout.Manifest))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(layout.Manifest));
                if (document.RootElement.TryGetProperty("parameters", out var parameters) && parameters.ValueKind == JsonValueKind.Array)
                {
                    foreach (var parameter in parameters.EnumerateArray())
                    {
                        if (parameter.TryGetProperty("name", out var name) && name.GetString() is { } n)
                        {
                            types[n] = parameter.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
                        }
                    }
                }
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{layout.Manifest}: not valid JSON ({e.Message}).", e);
            }
        }

        return new RewriteFiles(layout, types.ToImmutable(), RewriteLayout.Hash(layout.Folder));
    }

    /// <summary>The DuckDB rendering of one target: <c>&lt;job&gt;.&lt;schema&gt;.&lt;table&gt;.duckdb.sql</c>, or <c>&lt;job&gt;.duckdb.sql</c> for a job with one target.</summary>
    public string? DuckDbFileFor(string target, int targets)
    {
        var specific = Layout.DuckDbSqlFor(target);
        if (File.Exists(specific))
        {
            return specific;
        }

        return targets == 1 && File.Exists(Layout.DuckDbSql) ? Layout.DuckDbSql : null;
    }

    /// <summary>Statements of a rendering: separated by <c>;</c> at a line end; comment-only chunks dropped.</summary>
    public static ImmutableArray<string> Statements(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var statements = ImmutableArray.CreateBuilder<string>();
        var current = new StringBuilder();
        foreach (var line in sql.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var trimmed = line.TrimEnd();
            current.Append(line).Append('\n');
            if (!trimmed.TrimStart().StartsWith("--", StringComparison.Ordinal) && trimmed.EndsWith(';'))
            {
                Add(current.ToString().TrimEnd().TrimEnd(';'));
                current.Clear();
            }
        }

        Add(current.ToString());
        return statements.ToImmutable();

        void Add(string text)
        {
            var meaningful = text.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--", StringComparison.Ordinal));
            if (meaningful)
            {
                statements.Add(text.Trim());
            }
        }
    }

    /// <summary>The DuckDB type a parameter is set with (rewrite.json <c>parameters[].type</c>), VARCHAR when unknown.</summary>
    public string ParameterType(string name)
    {
        var type = ParameterTypes.GetValueOrDefault(name)?.ToLowerInvariant() ?? string.Empty;
        return type switch
        {
            _ when type.StartsWith("decimal", StringComparison.Ordinal) => type.ToUpperInvariant(),
            "date" => "DATE",
            "timestamp" or "timestamptz" => "TIMESTAMPTZ",
            "int" or "integer" => "INTEGER",
            "long" or "bigint" => "BIGINT",
            "double" or "float" => "DOUBLE",
            "boolean" or "bool" => "BOOLEAN",
            _ => "VARCHAR",
        };
    }
}
