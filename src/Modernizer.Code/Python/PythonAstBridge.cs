using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Modernizer.Code.Python;

/// <summary>Parses Python with CPython's own <c>ast</c> (python3 is a runtime requirement, stdlib
/// only). One python3 worker per core parses a contiguous share of the batch; each worker is
/// started once per batch, so interpreter start-up is paid per core, not per file.</summary>
public sealed class PythonAstBridge
{
    private static readonly Lazy<string> Script = new(LoadScript);

    public PythonAstBridge(string pythonExecutable = "python3", int? workers = null)
    {
        PythonExecutable = pythonExecutable;
        Workers = Math.Max(1, workers ?? Environment.ProcessorCount);
    }

    public string PythonExecutable { get; }

    public int Workers { get; }

    /// <summary>Parses every source; results come back in input order. A syntax error in one file
    /// is reported in its result, never thrown. Throws only when python3 itself cannot run.</summary>
    public async Task<ImmutableArray<PythonParseResult>> ParseAsync(IReadOnlyList<PythonSource> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            return [];
        }

        var results = new PythonParseResult[sources.Count];
        var workerCount = Math.Min(Workers, Math.Max(1, sources.Count / 4));
        var share = (sources.Count + workerCount - 1) / workerCount;
        var tasks = new List<Task>();
        for (var start = 0; start < sources.Count; start += share)
        {
            var from = start;
            var to = Math.Min(sources.Count, start + share);
            // Pipe I/O blocks a thread on Unix; dedicated threads keep the thread pool free, and
            // their large stacks let deep trees decode.
            tasks.Add(DeepStack.RunAsync(() => RunWorkers(sources, from, to, results, cancellationToken)));
        }

        await Task.WhenAll(tasks);
        return [.. results];
    }

    public async Task<PythonParseResult> ParseAsync(PythonSource source, CancellationToken cancellationToken) =>
        (await ParseAsync([source], cancellationToken))[0];

    /// <summary>One file that kills python3 (a crash in the C parser, memory) is reported as
    /// that file's error; a new worker takes the files after it.</summary>
    private void RunWorkers(IReadOnlyList<PythonSource> sources, int from, int to, PythonParseResult[] results, CancellationToken cancellationToken)
    {
        var next = from;
        var started = false;
        while (next < to)
        {
            next = RunWorker(sources, next, to, results, started, cancellationToken);
            started = true;
        }
    }

    /// <summary>Parses sources[from..to) in one python3; returns the index to go on from.</summary>
    private int RunWorker(IReadOnlyList<PythonSource> sources, int from, int to, PythonParseResult[] results, bool restarted, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(PythonExecutable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add("-I");
        start.ArgumentList.Add("-S");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script.Value);
        start.Environment["PYTHONIOENCODING"] = "utf-8";

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            throw new InvalidOperationException($"Cannot start '{PythonExecutable}' for the Python syntax bridge: {error.Message}. python3 (3.9 or later) is required.", error);
        }

        using var registration = cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
        });

        var stderr = Task.Factory.StartNew(() => process.StandardError.ReadToEnd(), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var writer = Task.Factory.StartNew(() => WriteRequests(process.StandardInput, sources, from, to, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        var header = process.StandardOutput.ReadLine();
        if (header is null)
        {
            writer.ContinueWith(static _ => { }, TaskScheduler.Default).Wait(cancellationToken);
            if (!restarted)
            {
                throw new InvalidOperationException($"The Python syntax bridge exited without output: {stderr.Result}");
            }

            Fail(sources, from, results, "the Python parser could not restart after a crash: " + Tail(stderr.Result));
            return from + 1;
        }

        PySchema schema;
        using (var document = JsonDocument.Parse(header))
        {
            schema = PyTreeDecoder.ReadSchema(document.RootElement.GetProperty("schema"));
        }

        var done = new bool[to - from];
        for (var received = from; received < to; received++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var line = process.StandardOutput.ReadLine();
            if (line is null)
            {
                // The worker died: answers come in input order, so the first file without one
                // is the file it died on.
                cancellationToken.ThrowIfCancellationRequested();
                var failed = Array.IndexOf(done, false) + from;
                process.WaitForExit();
                Fail(sources, failed, results, $"the Python parser stopped on this file (exit code {process.ExitCode}): {Tail(stderr.Result)}");
                writer.ContinueWith(static _ => { }, TaskScheduler.Default).Wait(cancellationToken);
                return failed + 1;
            }

            using var document = JsonDocument.Parse(line, DeepJson);
            var root = document.RootElement;
            var index = root.GetProperty("i").GetInt32();
            done[index - from] = true;
            var file = sources[index].File;
            if (root.TryGetProperty("e", out var error))
            {
                results[index] = new PythonParseResult(file, null, new PythonSyntaxError(
                    file, error[1].GetInt32(), error[2].GetInt32() + 1, error[0].GetString() ?? "invalid syntax"));
                continue;
            }

            try
            {
                results[index] = new PythonParseResult(file, PyTreeDecoder.Decode(root.GetProperty("t"), schema), null);
            }
            catch (PythonTreeTooDeepException deep)
            {
                results[index] = new PythonParseResult(file, null, new PythonSyntaxError(file, 0, 0, deep.Message));
            }
        }

        writer.Wait(cancellationToken);
        process.WaitForExit();
        return to;
    }

    /// <summary>A syntax tree is as deep as the code nests; the reader's default (64) is far too
    /// shallow for method chains. The document parse itself is not recursive.</summary>
    private static readonly JsonDocumentOptions DeepJson = new() { MaxDepth = 100_000 };

    private static void Fail(IReadOnlyList<PythonSource> sources, int index, PythonParseResult[] results, string message) =>
        results[index] = new PythonParseResult(sources[index].File, null, new PythonSyntaxError(sources[index].File, 0, 0, message));

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        var lines = trimmed.Split('\n');
        return lines.Length == 0 || trimmed.Length == 0 ? "no message" : lines[^1];
    }

    private static void WriteRequests(StreamWriter input, IReadOnlyList<PythonSource> sources, int from, int to, CancellationToken cancellationToken)
    {
        using (input)
        {
            input.AutoFlush = false;
            var buffer = new ArrayBufferWriterStream();
            for (var i = from; i < to; i++)
            {
                buffer.Reset();
                using (var json = new Utf8JsonWriter(buffer.Buffer))
                {
                    json.WriteStartObject();
                    json.WriteNumber("i", i);
                    json.WriteString("s", sources[i].Text);
                    json.WriteEndObject();
                }

                cancellationToken.ThrowIfCancellationRequested();
                input.WriteLine(Encoding.UTF8.GetString(buffer.Buffer.WrittenSpan));
            }
        }
    }

    private static string LoadScript()
    {
        using var stream = typeof(PythonAstBridge).Assembly.GetManifestResourceStream("Modernizer.Code.Python.ast_bridge.py")
            ?? throw new InvalidOperationException("The embedded Python bridge script is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private sealed class ArrayBufferWriterStream
    {
        public System.Buffers.ArrayBufferWriter<byte> Buffer { get; } = new(4096);

        public void Reset() => Buffer.ResetWrittenCount();
    }
}
