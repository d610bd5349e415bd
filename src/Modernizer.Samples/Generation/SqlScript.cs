using System.Collections.Immutable;
using System.Reflection;
using System.Text;

namespace Modernizer.Samples.Generation;

/// <summary>An embedded SQL script split into named steps (<c>-- @step name</c>). Tokens
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
        var body = new StringBuilder();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith("-- @step ", StringComparison.Ordinal))
            {
                Flush();
                current = line["-- @step ".Length..].Trim();
                continue;
            }

            body.Append(line).Append('\n');
        }

        Flush();
        return new SqlScript(name, steps.ToImmutable());

        void Flush()
        {
            var sql = body.ToString();
            if (sql.Split('\n').Any(l => l.Trim().Length > 0 && !l.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            {
                steps.Add(new SqlStep(current, sql));
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

internal sealed record SqlStep(string Name, string Sql);
