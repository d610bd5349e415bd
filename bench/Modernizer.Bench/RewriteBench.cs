using System.Globalization;
using System.Text.Json;
using Modernizer.Samples;

namespace Modernizer.Bench;

/// <summary>The Code Writer as users run it (R4.1, X4): <c>modernize rewrite --job J</c> as a process for
/// every coded job of the retail sample — lift, render, parallel run on the legacy run's inputs, exact
/// reconciliation, re-analysis — beside its anchor, <c>modernize reconcile</c> of the same legacy output
/// against the same candidate output as a process: the floor of any rewrite that is proven by
/// reconciliation. Prints the time per job, the status, the ratio to the anchor and the load average.
/// Usage: rewrite [--workspace DIR] [--cli PATH] [--job J]...</summary>
internal sealed class RewriteBench : IBench
{
    public string Name => "rewrite";

    public string Description => "modernize rewrite per sample job as a process vs modernize reconcile of its output (--workspace DIR, --cli PATH, --job J)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var cli = CliProcess.Locate(args);
        var given = Value(args, "--workspace");
        var workspace = Path.GetFullPath(given ?? Path.Combine(Path.GetTempPath(), "modernize-bench-rewrite-" + Guid.NewGuid().ToString("N")[..8]));
        if (given is null || !Directory.Exists(Path.Combine(workspace, "jobs")))
        {
            Console.WriteLine($"writing the retail sample to {workspace} ...");
            await SampleWorkspaceWriter.WriteAsync(workspace, new SampleOptions(), null, cancellationToken);
        }

        var only = args.Select((a, i) => (a, i)).Where(p => p.a == "--job" && p.i + 1 < args.Length).Select(p => args[p.i + 1]).ToHashSet(StringComparer.Ordinal);
        var jobs = Directory.GetDirectories(Path.Combine(workspace, "jobs")).Select(Path.GetFileName).OfType<string>()
            .Where(j => only.Count == 0 || only.Contains(j)).Order(StringComparer.Ordinal).ToArray();
        Console.WriteLine($"load average before: {CliProcess.LoadAverage()} ({Environment.ProcessorCount} cores)");
        Console.WriteLine($"{"job",-30} {"status",-10} {"rewrite s",10} {"anchor s",9} {"ratio",6}  rows");
        var totalRewrite = 0.0;
        var totalAnchor = 0.0;
        var validated = 0;
        foreach (var job in jobs)
        {
            var rewrite = await CliProcess.RunAsync(cli, ["rewrite", "--workspace", workspace, "--job", job, "--json", Path.Combine(Path.GetTempPath(), $"modernize-bench-rewrite-{job}.json")], cancellationToken);
            var (status, targets) = Read(Path.Combine(workspace, ".modernize", "jobs", job, "rewrite", "rewrite.json"));
            double? anchor = null;
            if (status == "validated")
            {
                validated++;
                anchor = 0;
                foreach (var (baseline, candidate, _) in targets)
                {
                    var reconcile = await CliProcess.RunAsync(cli, ["reconcile", "--baseline", baseline, "--candidate", candidate], cancellationToken);
                    anchor += reconcile.Elapsed.TotalSeconds;
                }

                totalRewrite += rewrite.Elapsed.TotalSeconds;
                totalAnchor += anchor.Value;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{job,-30} {status,-10} {rewrite.Elapsed.TotalSeconds,10:0.00} {(anchor is { } a ? a.ToString("0.00", CultureInfo.InvariantCulture) : "—"),9} {(anchor is { } b && b > 0 ? (rewrite.Elapsed.TotalSeconds / b).ToString("0.0", CultureInfo.InvariantCulture) : "—"),6}  {string.Join(", ", targets.Select(t => t.Rows))}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"validated {validated} of {jobs.Length}; validated jobs: {totalRewrite:0.0} s rewriting vs {totalAnchor:0.0} s reconciling alone (ratio {(totalAnchor > 0 ? totalRewrite / totalAnchor : 0):0.0}); load average after: {CliProcess.LoadAverage()}"));
        return 0;
    }

    private static (string Status, List<(string Baseline, string Candidate, long Rows)> Targets) Read(string manifest)
    {
        if (!File.Exists(manifest))
        {
            return ("none", []);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(manifest));
        var root = document.RootElement;
        var targets = new List<(string, string, long)>();
        if (root.TryGetProperty("reconciliation", out var reconciliation) && reconciliation.ValueKind == JsonValueKind.Object)
        {
            var folder = Path.GetDirectoryName(manifest)!;
            var outputs = root.GetProperty("targets").EnumerateArray().ToDictionary(t => t.GetProperty("table").GetString()!, t => Path.Combine(folder, t.GetProperty("output").GetString()!), StringComparer.Ordinal);
            foreach (var target in reconciliation.GetProperty("targets").EnumerateArray())
            {
                var table = target.GetProperty("table").GetString()!;
                var workspace = Path.GetFullPath(Path.Combine(folder, "..", "..", "..", ".."));
                var baseline = Path.Combine([workspace, "lake", .. table.Split('.')]);
                targets.Add((baseline, outputs[table], target.GetProperty("rows_matched").GetInt64()));
            }
        }

        return (root.GetProperty("status").GetString() ?? "?", targets);
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
