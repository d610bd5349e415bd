using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Modernizer.Agents.Tests.Fakes;
using Modernizer.Domain.Workspace;

namespace Modernizer.Agents.Tests.Rewriting;

/// <summary>A one-job workspace whose legacy output is produced by running the job's own Python under
/// CPython: the loop bodies, helper functions and every operator keep real Python semantics. Only the
/// handful of PySpark calls a driver loop needs (table, select, orderBy, collect, count, createDataFrame,
/// write.mode().saveAsTable) are served by a small in-process stand-in, since Spark cannot run here;
/// it returns collected rows in the table's stored order (or sorted ascending, nulls first, for
/// orderBy) as Spark does for a single-file table.</summary>
internal sealed class LegacyWorkspace : IDisposable
{
    private const string PySparkStandIn = """
        import json, sys, types

        class Row(dict):
            def __getattr__(self, name):
                try:
                    return self[name]
                except KeyError:
                    raise AttributeError(name)
            def asDict(self):
                return dict(self)

        class Frame:
            def __init__(self, rows, columns):
                self.rows, self.columns = rows, columns
            def select(self, *columns):
                return Frame([Row({c: r[c] for c in columns}) for r in self.rows], list(columns))
            def orderBy(self, *columns):
                rows = list(self.rows)
                for c in reversed(columns):
                    rows.sort(key=lambda r: (r[c] is not None, r[c]))
                return Frame(rows, self.columns)
            def collect(self):
                return [Row(r) for r in self.rows]
            def count(self):
                return len(self.rows)
            @property
            def write(self):
                return Writer(self)

        class Writer:
            def __init__(self, frame):
                self.frame = frame
            def mode(self, mode):
                return self
            def saveAsTable(self, name):
                OUTPUTS[name] = self.frame

        class Session:
            def table(self, name):
                return TABLES[name]
            def createDataFrame(self, rows, schema):
                columns = list(schema) if isinstance(schema, (list, tuple)) else [part.strip().split()[0] for part in schema.split(",")]
                return Frame([Row(zip(columns, row)) for row in rows], columns)

        class Builder:
            def getOrCreate(self):
                return SESSION

        class SparkSession:
            builder = Builder()

        TABLES, OUTPUTS, SESSION = {}, {}, Session()
        sql = types.ModuleType("pyspark.sql")
        sql.SparkSession = SparkSession
        sql.Row = Row
        root = types.ModuleType("pyspark")
        root.sql = sql
        sys.modules["pyspark"], sys.modules["pyspark.sql"] = root, sql

        in_dir, out_dir, job = sys.argv[1], sys.argv[2], sys.argv[3]
        for line in open(in_dir + "/tables.txt"):
            name = line.strip()
            rows = [Row(json.loads(l)) for l in open(in_dir + "/" + name + ".jsonl")]
            TABLES[name] = Frame(rows, list(rows[0].keys()) if rows else [])
        exec(compile(open(job).read(), job, "exec"), {"__name__": "__main__"})
        for name, frame in OUTPUTS.items():
            with open(out_dir + "/" + name + ".jsonl", "w") as out:
                for row in frame.rows:
                    out.write(json.dumps(dict(row)) + "\n")
        """;

    private readonly TestDirectory _dir = new();
    private readonly List<string> _inputs = [];

    public LegacyWorkspace(string jobId, string code)
    {
        JobId = jobId;
        Paths = new WorkspacePaths(_dir.Path);
        Directory.CreateDirectory(Path.Combine(Paths.Root, "jobs", jobId));
        // A job whose code starts like SQL is a Spark SQL file; anything else a PySpark driver.
        var file = code.TrimStart().StartsWith("INSERT", StringComparison.OrdinalIgnoreCase) ? "main.sql" : "main.py";
        File.WriteAllText(Path.Combine(Paths.Root, "jobs", jobId, file), code);
        Directory.CreateDirectory(InputFolder);
    }

    public string JobId { get; }

    public WorkspacePaths Paths { get; }

    private string InputFolder => Path.Combine(Paths.Root, ".legacy-in");

    /// <summary>An input table: <paramref name="rows"/> as JSON values, typed by <paramref name="columns"/>
    /// (DuckDB types) in the lake, and read as JSON by the legacy run.</summary>
    public async Task AddInputAsync(string table, string columns, params string[] rows)
    {
        var file = Path.Combine(InputFolder, table + ".jsonl");
        await File.WriteAllLinesAsync(file, rows);
        _inputs.Add(table);
        await ToParquetAsync(file, columns, LakeFolder(table));
    }

    /// <summary>Runs the job under CPython and writes each output table to the lake as the legacy output.</summary>
    public async Task RunLegacyAsync(string outputTable, string columns)
    {
        await File.WriteAllLinesAsync(Path.Combine(InputFolder, "tables.txt"), _inputs);
        var outDir = Path.Combine(Paths.Root, ".legacy-out");
        Directory.CreateDirectory(outDir);
        var shim = Path.Combine(Paths.Root, ".legacy-run.py");
        await File.WriteAllTextAsync(shim, PySparkStandIn);
        var start = new ProcessStartInfo("python3") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { shim, InputFolder, outDir, Path.Combine(Paths.Root, "jobs", JobId, "main.py") })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("the legacy job failed under CPython: " + error);
        }

        await ToParquetAsync(Path.Combine(outDir, outputTable + ".jsonl"), columns, LakeFolder(outputTable));
    }

    /// <summary>The rows of a lake table, one text line per row in order (for messages).</summary>
    public async Task<IReadOnlyList<string>> RowsAsync(string folder)
    {
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet('{Escape(Path.Combine(folder, "*.parquet"))}')";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "?";
            }

            rows.Add(string.Join(" | ", values));
        }

        return rows;
    }

    public string LakeFolder(string table) => Path.Combine([Paths.Root, "lake", .. table.Split('.')]);

    private static async Task ToParquetAsync(string jsonLines, string columns, string folder)
    {
        Directory.CreateDirectory(folder);
        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        var parquet = Path.Combine(folder, "part-00000.parquet");
        var typed = Columns(columns);
        var select = new FileInfo(jsonLines).Length == 0
            ? $"SELECT * FROM (SELECT {string.Join(", ", typed.Select(c => $"CAST(NULL AS {c.Type}) AS {c.Name}"))}) WHERE FALSE"
            : $"SELECT {string.Join(", ", typed.Select(c => c.Name))} FROM read_json('{Escape(jsonLines)}', format = 'newline_delimited', columns = {{{string.Join(", ", typed.Select(c => $"'{c.Name}': '{c.Type}'"))}}})";
        command.CommandText = $"COPY ({select}) TO '{Escape(parquet)}' (FORMAT parquet)";
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>"id BIGINT, a DECIMAL(18,2)" → (name, type) pairs; commas inside a type's parentheses stay.</summary>
    private static List<(string Name, string Type)> Columns(string columns)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < columns.Length; i++)
        {
            depth += columns[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (columns[i] == ',' && depth == 0)
            {
                parts.Add(columns[start..i]);
                start = i + 1;
            }
        }

        parts.Add(columns[start..]);
        return [.. parts.Select(p => p.Trim().Split(' ', 2)).Select(p => (p[0], p[1]))];
    }

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    public void Dispose() => _dir.Dispose();
}
