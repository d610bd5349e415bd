using System.Collections.Immutable;
using System.Reflection;
using System.Text;

namespace Modernizer.Samples.Generation;

/// <summary>An embedded SQL script split into named steps (<c>-- @step name [after step, ...]</c>: a step
/// names the steps whose tables it reads; without <c>after</c> it follows the step before it). Tokens
/// <c>${name}</c> are replaced by values the writer controls (integers, dates, escaped paths) —
/// never by user text.</summary>
internal sealed record SqlScript(string Name, ImmutableArray<SqlStep> Steps)
{
    public static SqlScript Load(string name, IReadOnlyDictionary<string, string> tokens)
    {
        var text = ReadResource($"sql/{name}.sql");
        foreach (var (key, value) in tokens)
        {
            text = text.Replace("${" + key + "}", value, StringComparison.Ordinal);
        }

        var unresolved = text.IndexOf("${", StringComparison.Ordinal);
        if (unresolved >= 0)
        {
            var end = text.IndexOf('}', unresolved);
            throw new InvalidOperationException($"sql/{name}.sql: token {text[unresolved..(end + 1)]} has no value");
        }

        var steps = ImmutableArray.CreateBuilder<SqlStep>();
        var current = "prelude";
        ImmutableArray<string>? after = null;
        var body = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("-- @step ", StringComparison.Ordinal))
            {
                Flush();
                var header = line["-- @step ".Length..].Trim();
                var at = header.IndexOf(" after ", StringComparison.Ordinal);
                current = at < 0 ? header : header[..at].Trim();
                after = at < 0 ? null : [.. header[(at + " after ".Length)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                continue;
            }

            body.Append(line).Append('\n');
        }

        Flush();
        var names = steps.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        if (steps.SelectMany(s => s.After).FirstOrDefault(d => !names.Contains(d)) is { } unknown)
        {
            throw new InvalidOperationException($"sql/{name}.sql: a step runs after '{unknown}', which is not a step of the script");
        }

        return new SqlScript(name, steps.ToImmutable());

        void Flush()
        {
            var sql = body.ToString();
            if (sql.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            {
                ImmutableArray<string> previous = steps.Count > 0 ? [steps[^1].Name] : [];
                steps.Add(new SqlStep(current, sql) { After = after ?? previous });
            }

            body.Clear();
        }
    }

    /// <summary>A path as a single-quoted SQL string body (quotes doubled, forward slashes).</summary>
    public static string PathToken(string path) => Path.GetFullPath(path).Replace('\\', '/').Replace("'", "''", StringComparison.Ordinal);

    internal static string ReadResource(string logicalName)
    {
        using var stream = typeof(SqlScript).Assembly.GetManifestResourceStream(logicalName)
            ?? throw new InvalidOperationException($"embedded resource {logicalName} is missing from {typeof(SqlScript).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    internal static Assembly ResourceAssembly => typeof(SqlScript).Assembly;
}

/// <param name="Name">Unique within its script.</param>
internal sealed record SqlStep(string Name, string Sql)
{
    /// <summary>The steps whose tables this one reads: it runs once they are done.</summary>
    public ImmutableArray<string> After { get; init; } = [];
}
