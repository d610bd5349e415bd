using System.Diagnostics;
using System.Globalization;
using Modernizer.Code.Emit;
using Modernizer.Code.Plan;
using Modernizer.Code.Sql;

namespace Modernizer.Bench;

/// <summary>Spark SQL parser throughput (issue "Code Reviewer engine", item 1): the 300+ statement
/// corpus parsed repeatedly; statements/s and MB/s. Anchor: tokenizing the same text (the lexer
/// alone), measured in the same run — the ratio is what the grammar costs on top of reading
/// characters. Also reports plan and print throughput.</summary>
internal sealed class SqlParseBench : IBench
{
    public string Name => "sql-parse";

    public string Description => "Spark SQL parser over the corpus (options: seconds per phase, default 3)";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
        var directory = FindCorpus();
        var scripts = Directory.EnumerateFiles(directory, "*.sql").Order(StringComparer.Ordinal).Select(File.ReadAllText).ToList();
        var statements = scripts.Sum(s => SparkSqlParser.Parse(s).Statements.Length);
        var bytes = scripts.Sum(s => (long)System.Text.Encoding.UTF8.GetByteCount(s));

        var lex = Measure(seconds, cancellationToken, () =>
        {
            foreach (var script in scripts)
            {
                SparkSqlParser.Tokenize(script);
            }
        });
        var parse = Measure(seconds, cancellationToken, () =>
        {
            foreach (var script in scripts)
            {
                SparkSqlParser.Parse(script);
            }
        });
        var parsed = scripts.Select(s => SparkSqlParser.Parse(s).Statements).ToList();
        var plan = Measure(seconds, cancellationToken, () =>
        {
            foreach (var script in parsed)
            {
                new SqlToPlan().PlanScript(script);
            }
        });
        var print = Measure(seconds, cancellationToken, () =>
        {
            foreach (var script in parsed)
            {
                SqlPrinter.Print(script);
            }
        });

        void Line(string label, (long Iterations, TimeSpan Elapsed) run)
        {
            var perSecond = run.Iterations / run.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {label,-8} {statements * perSecond,12:N0} statements/s {bytes * perSecond / 1048576.0,8:0.0} MB/s  ({run.Iterations} passes)"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sql-parse corpus: {scripts.Count} files, {statements} statements, {bytes / 1024.0:0.0} KB"));
        Line("lex", lex);
        Line("parse", parse);
        Line("plan", plan);
        Line("print", print);
        var ratio = (lex.Iterations / lex.Elapsed.TotalSeconds) / (parse.Iterations / parse.Elapsed.TotalSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  parse vs anchor (lexer alone): {ratio:0.00}x the lexer's time"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MB"));
        return Task.FromResult(0);
    }

    private static (long Iterations, TimeSpan Elapsed) Measure(double seconds, CancellationToken cancellationToken, Action pass)
    {
        for (var i = 0; i < 3; i++)
        {
            pass();
        }

        var watch = Stopwatch.StartNew();
        long iterations = 0;
        while (watch.Elapsed.TotalSeconds < seconds && !cancellationToken.IsCancellationRequested)
        {
            pass();
            iterations++;
        }

        return (iterations, watch.Elapsed);
    }

    private static string FindCorpus()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Modernizer.Code.Tests", "Sql", "Corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("Run from the repository: tests/Modernizer.Code.Tests/Sql/Corpus was not found above the current directory.");
    }
}
