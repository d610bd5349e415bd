using System.Collections.Immutable;
using System.Diagnostics;
using System.Text.Json;
using Modernizer.Samples.Generation;

namespace Modernizer.Samples.Legacy;

/// <summary>The sample's legacy runner: runs a job's reference program (legacy/run.py, plain Python)
/// on given input tables and returns its output tables. Spark cannot run here, so these programs
/// stand in for the legacy jobs: Python semantics for the Python parts, Spark semantics for the
/// DataFrame/SQL parts. Protocol: legacy/README.md.</summary>
public sealed class LegacyRunner
{
    public LegacyRunner(string legacyFolder, string python = "python3")
    {
        LegacyFolder = Path.GetFullPath(legacyFolder);
        Python = python;
    }

    public string LegacyFolder { get; }

    public string Python { get; }

    public static LegacyRunner ForWorkspace(string workspace, string python = "python3") =>
        new(Path.Combine(workspace, "legacy"), python);

    /// <summary>Runs <paramref name="jobId"/> on input tables (<c>raw.orders</c> → a Delta table or
    /// Parquet folder). Outputs are written as Parquet folders under
    /// <c>&lt;workFolder&gt;/out/&lt;schema.table&gt;/</c> and returned by table name.</summary>
    public async Task<LegacyRunResult> RunAsync(
        string jobId,
        IReadOnlyDictionary<string, string> inputTables,
        IReadOnlyDictionary<string, string?> parameters,
        string workFolder,
        CancellationToken cancellationToken)
    {
        var input = Path.Combine(workFolder, "in");
        var jsonlOut = Path.Combine(workFolder, "out.jsonl");
        var parquetOut = Path.Combine(workFolder, "out");
        Directory.CreateDirectory(input);
        await using var db = await SampleDb.OpenAsync(cancellationToken);
        foreach (var (name, folder) in inputTables.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            await LegacyTableExchange.ExportAsync(db, name, folder, input, cancellationToken);
        }

        await WriteParametersAsync(input, parameters, cancellationToken);
        var run = await RunJsonlAsync(jobId, input, jsonlOut, cancellationToken);
        var outputs = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var table in run.OutputTables)
        {
            var folder = Path.Combine(parquetOut, table);
            await LegacyTableExchange.ImportAsync(db, jsonlOut, table, Path.Combine(folder, "part-00000.parquet"), cancellationToken);
            outputs[table] = folder;
        }

        return run with { Outputs = outputs.ToImmutable() };
    }

    /// <summary>The raw protocol: <c>python3 legacy/run.py &lt;job_id&gt; &lt;in_dir&gt; &lt;out_dir&gt;</c> on
    /// JSONL tables already in <paramref name="inDir"/>; output tables are the JSONL files it writes.</summary>
    public async Task<LegacyRunResult> RunJsonlAsync(string jobId, string inDir, string outDir, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outDir);
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = LegacyFolder,
        };
        foreach (var argument in new[] { Path.Combine(LegacyFolder, "run.py"), jobId, Path.GetFullPath(inDir), Path.GetFullPath(outDir) })
        {
            start.ArgumentList.Add(argument);
        }

        // the programs pin the legacy driver's zone themselves; this keeps anything else stable too
        start.Environment["TZ"] = "UTC";
        start.Environment["PYTHONHASHSEED"] = "0";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new LegacyRunException(jobId, process.ExitCode, await stderr);
        }

        var tables = Directory.EnumerateFiles(outDir, "*.schema.json")
            .Select(f => Path.GetFileName(f)[..^".schema.json".Length])
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();
        return new LegacyRunResult(jobId, tables, ImmutableSortedDictionary<string, string>.Empty, await stdout, watch.Elapsed);
    }

    private static async Task WriteParametersAsync(string input, IReadOnlyDictionary<string, string?> parameters, CancellationToken cancellationToken)
    {
        var ordered = new SortedDictionary<string, string?>(parameters.ToDictionary(p => p.Key, p => p.Value), StringComparer.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(input, "_params.json"), JsonSerializer.Serialize(ordered) + "\n", cancellationToken);
    }
}

/// <summary>Outcome of one reference-program run.</summary>
/// <param name="OutputTables">Table names (<c>curated.daily_revenue</c>) the program wrote.</param>
/// <param name="Outputs">Parquet folder per output table (empty for <see cref="LegacyRunner.RunJsonlAsync"/>).</param>
/// <param name="Log">What the program printed (its own log lines).</param>
public sealed record LegacyRunResult(
    string JobId,
    ImmutableArray<string> OutputTables,
    ImmutableSortedDictionary<string, string> Outputs,
    string Log,
    TimeSpan Elapsed);

/// <summary>A reference program failed; the message carries its standard error.</summary>
public sealed class LegacyRunException : Exception
{
    public LegacyRunException(string jobId, int exitCode, string standardError)
        : base($"legacy reference program for {jobId} exited with {exitCode}: {standardError.Trim()}")
    {
        JobId = jobId;
        ExitCode = exitCode;
    }

    public LegacyRunException()
    {
        JobId = string.Empty;
    }

    public LegacyRunException(string message)
        : base(message)
    {
        JobId = string.Empty;
    }

    public LegacyRunException(string message, Exception innerException)
        : base(message, innerException)
    {
        JobId = string.Empty;
    }

    public string JobId { get; }

    public int ExitCode { get; }
}
