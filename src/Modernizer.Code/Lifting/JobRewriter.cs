using System.Collections.Immutable;
using Modernizer.Code.Lifting.Python;
using Modernizer.Code.Lifting.Spark;
using Modernizer.Code.Notebooks;
using Modernizer.Code.Plan;
using Modernizer.Code.Python;
using YamlDotNet.RepresentationModel;

namespace Modernizer.Code.Lifting;

/// <summary>The result of lifting a job: the program when every part was reproduced exactly, else
/// the reasons (with file and line) it was not.</summary>
public sealed record LiftOutcome(JobProgram? Program, ImmutableArray<RewriteRefusal> Refusals)
{
    public bool Succeeded => Program is not null && Refusals.IsEmpty;
}

/// <summary>The Code Writer's engine (R4.1): reads a legacy job (PySpark scripts, Databricks and
/// Jupyter notebooks, Spark SQL files), runs it symbolically from CPython's AST and lifts it into a
/// <see cref="JobProgram"/> of set-based plans. It never guesses: a construct it cannot reproduce
/// exactly refuses the job with its location.</summary>
public sealed class JobRewriter(PythonAstBridge? bridge = null)
{
    private static readonly string[] CodeExtensions = [".py", ".sql", ".ipynb"];

    private readonly PythonAstBridge _bridge = bridge ?? new PythonAstBridge(workers: 1);

    public async Task<LiftOutcome> LiftAsync(string jobId, string folder, ISchemaProvider schemas, LiftSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var parameters = await ReadParametersAsync(Path.Combine(folder, "job.yaml"), cancellationToken);
        var files = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => CodeExtensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal).ToList()
            : [];
        if (files.Count == 0)
        {
            return Refused("the job has no code (.py, .sql or .ipynb)", folder, 0);
        }

        var entry = files.Count == 1 ? files[0] : files.FirstOrDefault(f => Path.GetFileName(f) is "main.py" or "__main__.py");
        if (entry is null)
        {
            return Refused($"the job has {files.Count} code files and none is main.py (which one runs is not known)", folder, 0);
        }

        var relative = Path.GetRelativePath(folder, entry).Replace('\\', '/');
        var notebook = NotebookReader.Read(relative, await File.ReadAllTextAsync(entry, cancellationToken));
        var translation = new JobTranslation(jobId, schemas, settings.SessionTimeZone);
        var binder = new ParameterBinder(parameters, translation);
        try
        {
            if (notebook.Cells.All(c => c.Language == CellLanguage.Sql))
            {
                var sql = new SqlStatementTranslator(binder);
                foreach (var cell in notebook.Cells)
                {
                    sql.Translate(cell.Text, relative, cell.FirstLine);
                }
            }
            else
            {
                await RunPythonAsync(notebook, relative, translation, binder, parameters, settings, cancellationToken);
            }
        }
        catch (RewriteRefusedException refused)
        {
            return new LiftOutcome(null, [refused.Refusal, .. translation.Refusals]);
        }

        if (translation.Refusals.Count > 0)
        {
            return new LiftOutcome(null, [.. translation.Refusals]);
        }

        JobProgram program;
        try
        {
            program = translation.Build();
        }
        catch (RewriteRefusedException refused)
        {
            return new LiftOutcome(null, [refused.Refusal]);
        }

        return program.Targets.IsEmpty
            ? Refused("the job writes no table (nothing to rewrite)", relative, 0)
            : new LiftOutcome(program, []);
    }

    private async Task RunPythonAsync(Notebook notebook, string file, JobTranslation translation, ParameterBinder binder,
        IReadOnlyDictionary<string, string?> parameters, LiftSettings settings, CancellationToken cancellationToken)
    {
        var interpreter = new DriverInterpreter(translation, binder, settings, file)
        {
            IsNotebook = notebook.Format != NotebookFormat.Plain,
        };
        var modules = new List<(NotebookCell Cell, PyNode? Module)>();
        foreach (var cell in notebook.Cells)
        {
            if (cell.Language == CellLanguage.Python)
            {
                var parsed = await _bridge.ParseAsync(new PythonSource(file, cell.Text), cancellationToken);
                if (!parsed.Succeeded)
                {
                    var error = parsed.Error!;
                    throw new RewriteRefusedException("Python the rewriter cannot parse: " + error.Message, file, cell.FirstLine + error.Line - 1);
                }

                modules.Add((cell, parsed.Module));
            }
            else
            {
                modules.Add((cell, null));
            }
        }

        interpreter.Argv = Argv(file, parameters, modules.Where(m => m.Module is not null).Select(m => m.Module!), interpreter);
        if (interpreter.IsNotebook)
        {
            interpreter.InstallNotebookGlobals();
        }

        foreach (var (cell, module) in modules)
        {
            interpreter.LineOffset = cell.FirstLine - 1;
            if (module is not null)
            {
                interpreter.RunModule(module);
            }
            else if (cell.Language == CellLanguage.Sql)
            {
                foreach (var (plan, line) in interpreter.Sql.Plan(cell.Text, new Dictionary<string, SqlScalar>(StringComparer.Ordinal), file, cell.FirstLine))
                {
                    interpreter.Sql.Apply(plan, file, line, null, interpreter.PendingChecks);
                }
            }
        }
    }

    /// <summary>sys.argv as the scheduler starts the script: the script, then each job parameter as the
    /// flag the code compares against (--name or --kebab-name), when the code has that literal.</summary>
    private static PyList Argv(string file, IReadOnlyDictionary<string, string?> parameters, IEnumerable<PyNode> modules, DriverInterpreter interpreter)
    {
        var literals = modules.SelectMany(m => m.Walk())
            .Where(n => n.Is("Constant") && n.Const() is string s && s.StartsWith("--", StringComparison.Ordinal))
            .Select(n => (string)n.Const()!).ToHashSet(StringComparer.Ordinal);
        var argv = new List<PyValue> { new PyStr(file) };
        foreach (var (name, _) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var flag = new[] { "--" + name, "--" + name.Replace('_', '-') }.FirstOrDefault(literals.Contains);
            if (flag is not null)
            {
                argv.Add(new PyStr(flag));
                argv.Add(interpreter.Spark.Parameter(name, "argument " + flag, null, default!));
            }
        }

        return new PyList(argv);
    }

    private static LiftOutcome Refused(string reason, string file, int line) => new(null, [new RewriteRefusal(reason, file, line)]);

    /// <summary>job.yaml <c>parameters</c>: name → default, null where the default is null.</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> ReadParametersAsync(string path, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        var stream = new YamlStream();
        stream.Load(new StringReader(await File.ReadAllTextAsync(path, cancellationToken)));
        if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root
            && root.Children.TryGetValue(new YamlScalarNode("parameters"), out var node) && node is YamlMappingNode parameters)
        {
            foreach (var (key, value) in parameters.Children)
            {
                if (key is YamlScalarNode name && value is YamlScalarNode scalar)
                {
                    var isNull = scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is null or "null" or "~" or "";
                    result[name.Value ?? string.Empty] = isNull ? null : scalar.Value;
                }
            }
        }

        return result;
    }
}
