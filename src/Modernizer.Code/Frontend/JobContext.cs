using System.Collections.Immutable;

namespace Modernizer.Code.Frontend;

/// <summary>State shared by every file of one job: facts, temp views, frame ids.</summary>
internal sealed class JobContext
{
    private int _nextFrame;

    public JobContext(FrontendOptions options) => Options = options;

    public FrontendOptions Options { get; }

    public List<Fact> Facts { get; } = [];

    public Dictionary<string, DataFrameValue> TempViews { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Widget defaults declared in the code (dbutils.widgets.text), used when job.yaml has none.</summary>
    public Dictionary<string, string> WidgetDefaults { get; } = new(StringComparer.Ordinal);

    public int NextFrameId() => ++_nextFrame;

    /// <summary>Every parsed Python module of the job, by its path relative to the job folder.</summary>
    public Dictionary<string, Python.PyNode> Modules { get; } = new(StringComparer.Ordinal);

    /// <summary>One interpreter per file; a module imported by another runs once, on first import.</summary>
    public Dictionary<string, Interpreter> Interpreters { get; } = new(StringComparer.Ordinal);

    /// <summary>Notebooks inlined by another notebook's <c>%run</c>: they run inside their includer.</summary>
    public HashSet<string> Included { get; } = new(StringComparer.Ordinal);

    /// <summary>Calls across files in progress (a guard against mutual recursion between modules).</summary>
    public int CrossFileDepth { get; set; }

    /// <summary>The catalog and database set by <c>USE</c> (or <c>spark.catalog.setCurrentDatabase</c>).</summary>
    public string? CurrentCatalog { get; private set; }

    public string? CurrentDatabase { get; private set; }

    /// <summary>Applies what a <c>USE</c> names: <c>db</c>, <c>catalog.db</c>, <c>catalog c</c>.</summary>
    public void ApplyUse(string use)
    {
        if (use.StartsWith("catalog ", StringComparison.Ordinal))
        {
            CurrentCatalog = use[8..];
            CurrentDatabase = null;
            return;
        }

        var parts = SplitName(use);
        (CurrentCatalog, CurrentDatabase) = parts.Count >= 2 ? (parts[^2], parts[^1]) : (CurrentCatalog, parts.Count == 1 ? parts[0] : null);
    }

    /// <summary>One table, one name: lower case, <c>${x}</c> written as <c>{x}</c>, the DLT
    /// <c>LIVE.</c> schema dropped, and an unqualified name qualified by the current <c>USE</c>
    /// context, so <c>bronze</c> after <c>USE {catalog}.{db}</c> is <c>{catalog}.{db}.bronze</c>.</summary>
    public string Canonical(string table)
    {
        var name = table.Trim().Replace("`", string.Empty, StringComparison.Ordinal);
        name = System.Text.RegularExpressions.Regex.Replace(name, @"\$\{([^}]*)\}", "{$1}");
        if (name.StartsWith("live.", StringComparison.OrdinalIgnoreCase))
        {
            name = name[5..];
        }

        if (name.StartsWith("path:", StringComparison.Ordinal))
        {
            // A partition folder (.../state=AL/city=X) is inside its table: the table's name.
            var segments = name.Split('/');
            var keep = segments.Length;
            while (keep > 1 && segments[keep - 1].Contains('=', StringComparison.Ordinal))
            {
                keep--;
            }

            return string.Join('/', segments[..keep]).TrimEnd('/').ToLowerInvariant();
        }

        if (name.StartsWith("jdbc:", StringComparison.Ordinal) || TempViews.ContainsKey(name))
        {
            return name.ToLowerInvariant();
        }

        var parts = SplitName(name);

        // Iceberg metadata tables (catalog.db.table.history) describe the table itself.
        if (parts.Count == 4 && IcebergMetadata.Contains(parts[3]))
        {
            return string.Join('.', parts.Take(3)).ToLowerInvariant();
        }

        if (parts.Count == 1 && CurrentDatabase is not null)
        {
            name = (CurrentCatalog is null ? string.Empty : CurrentCatalog + ".") + CurrentDatabase + "." + name;
        }
        else if (parts.Count == 2 && CurrentCatalog is not null && CurrentDatabase is null)
        {
            name = CurrentCatalog + "." + name;
        }

        return name.ToLowerInvariant();
    }

    private static readonly HashSet<string> IcebergMetadata = new(StringComparer.OrdinalIgnoreCase)
    {
        "history", "snapshots", "files", "manifests", "partitions", "entries", "refs", "metadata_log_entries", "all_data_files", "all_manifests", "all_entries", "data_files", "delete_files",
    };

    /// <summary>Splits a dotted name, keeping placeholders (<c>{config['a.b']}</c>) whole.</summary>
    public static List<string> SplitName(string name)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < name.Length; i++)
        {
            switch (name[i])
            {
                case '{' or '[' or '(':
                    depth++;
                    break;
                case '}' or ']' or ')':
                    depth--;
                    break;
                case '.' when depth == 0:
                    parts.Add(name[start..i]);
                    start = i + 1;
                    break;
            }
        }

        parts.Add(name[start..]);
        return parts;
    }

    /// <summary>Files in which the walk used the Spark API (a session, a DataFrame, a column
    /// function): Spark code the analysis followed, even when it holds no read or write.</summary>
    public HashSet<string> SparkFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Table names of Delta Live Tables datasets the job defines (pipeline-internal).</summary>
    public HashSet<string> PipelineTables { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The interpreter of a job file, created on first use.</summary>
    public Interpreter InterpreterFor(string file)
    {
        if (!Interpreters.TryGetValue(file, out var interpreter))
        {
            interpreter = new Interpreter(this, file);
            Interpreters[file] = interpreter;
        }

        return interpreter;
    }

    /// <summary>The job file a Python import names: <c>a.b</c> is <c>a/b.py</c> or
    /// <c>a/b/__init__.py</c>, found at the job root or under any folder of it (src layouts);
    /// relative imports resolve from the importing file's folder.</summary>
    public string? ModuleFile(string module, int level, string fromFile)
    {
        var relative = module.Replace('.', '/');
        if (level > 0)
        {
            var folder = Path.GetDirectoryName(fromFile)?.Replace('\\', '/') ?? string.Empty;
            for (var i = 1; i < level && folder.Length > 0; i++)
            {
                folder = Path.GetDirectoryName(folder)?.Replace('\\', '/') ?? string.Empty;
            }

            var baseName = folder.Length == 0 ? relative : relative.Length == 0 ? folder : folder + "/" + relative;
            return Find(baseName, exact: true);
        }

        if (relative.Length == 0)
        {
            return null;
        }

        if (!_moduleFiles.TryGetValue(relative, out var found))
        {
            found = Find(relative, exact: false);
            _moduleFiles[relative] = found;
        }

        return found;
    }

    private readonly Dictionary<string, string?> _moduleFiles = new(StringComparer.Ordinal);

    /// <summary>The job file a <c>%run</c> path names, relative to the including notebook.</summary>
    public string? RunTarget(string path, string fromFile)
    {
        var target = path.Trim().Trim('"', '\'');
        var folder = Path.GetDirectoryName(fromFile)?.Replace('\\', '/') ?? string.Empty;
        var combined = target.StartsWith('/') ? target.TrimStart('/') : (folder.Length == 0 ? target : folder + "/" + target);
        var normalized = Normalize(combined);
        foreach (var candidate in new[] { normalized, normalized + ".py", normalized + ".ipynb", normalized + ".sql" })
        {
            if (Modules.ContainsKey(candidate))
            {
                return candidate;
            }
        }

        // Workspace-absolute paths (/Repos/me/project/config) end with the job-relative path.
        var name = normalized.Split('/')[^1];
        return Modules.Keys.Where(k => Path.GetFileNameWithoutExtension(k) == name && normalized.EndsWith(StripExtension(k), StringComparison.Ordinal))
            .OrderBy(k => k.Length).FirstOrDefault();
    }

    private string? Find(string relative, bool exact)
    {
        foreach (var candidate in new[] { relative + ".py", relative + "/__init__.py" })
        {
            if (Modules.ContainsKey(candidate))
            {
                return candidate;
            }

            if (!exact)
            {
                var suffix = Modules.Keys.Where(k => k.EndsWith("/" + candidate, StringComparison.Ordinal)).OrderBy(k => k.Length).FirstOrDefault();
                if (suffix is not null)
                {
                    return suffix;
                }
            }
        }

        return null;
    }

    private static string StripExtension(string file)
    {
        var extension = Path.GetExtension(file);
        return extension.Length == 0 ? file : file[..^extension.Length];
    }

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    /// <summary>Reads of a table: a temp view resolves to the view's own frame, never to a source.</summary>
    public DataFrameValue ReadTable(string table, int line, string file, string via, double confidence, string? path, Func<Fact, Fact> stamp, string? version = null)
    {
        if (TempViews.TryGetValue(table, out var view) || TempViews.TryGetValue(Canonical(table), out view))
        {
            return view;
        }

        var name = Canonical(table);
        Facts.Add(stamp(new ReadFact(name, via, confidence, path) { File = file, Line = line, Version = version }));
        var columns = Options.ColumnsOf(name);
        var known = columns is null
            ? ImmutableDictionary<string, ImmutableHashSet<ColumnSource>>.Empty
            : columns.ToImmutableDictionary(
                c => c.ToLowerInvariant(),
                c => ImmutableHashSet.Create(new ColumnSource(new ColumnRef(name, c.ToLowerInvariant()), LineageSubtype.Identity)));
        return new DataFrameValue(NextFrameId(), "Read " + name, [], [name], known, columns is null ? [name] : [], [], FrameTraits.None, line)
        {
            Step = new FrameStep("scan", [], [], Table: name),
        };
    }
}
