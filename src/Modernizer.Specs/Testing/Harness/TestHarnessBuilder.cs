using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Domain.Serialization;
using Modernizer.Samples.Legacy;
using Modernizer.Specs.Data;
using Modernizer.Specs.Jobs;
using Modernizer.Specs.Testing.Data;
using Modernizer.Specs.Testing.Design;

namespace Modernizer.Specs.Testing.Harness;

/// <summary>What the harness built: one case file per designed case and the coverage report.</summary>
public sealed record HarnessResult(ImmutableArray<CaseFile> Cases, CoverageReport Coverage);

/// <summary>The Test Harness Builder's engine (R3.3). Expected rows always come from the legacy side: the
/// workspace's legacy runner (<c>legacy/run.py</c>, the protocol of legacy/README.md) runs on each case's
/// inputs. Without a runner, a case's expected rows are taken from the legacy output in the lake only where
/// they can be derived exactly; otherwise the case is marked expected unknown and the coverage report says so.
/// Cases are written as data (<c>tests/cases/&lt;case&gt;.yaml</c>), atomically, as one set.</summary>
public sealed class TestHarnessBuilder
{
    public async Task<HarnessResult> BuildAsync(JobInputs inputs, TestInventory inventory, FixtureSet fixtures, LegacyRunner? runner, string testsFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(fixtures);
        var cases = ImmutableArray.CreateBuilder<CaseFile>();
        var work = Path.Combine(testsFolder, ".runs-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var design in inventory.Cases)
            {
                var fixture = fixtures.Cases.FirstOrDefault(f => f.Case == design.Id)
                    ?? throw new InvalidDataException($"{Path.Combine(testsFolder, "fixtures")}: no fixture for case {design.Id}; the Test Data Generator must run first.");
                var given = await GivenAsync(fixture.Folder, cancellationToken);
                var expect = runner is not null
                    ? await RunLegacyAsync(inputs, runner, fixture, Path.Combine(work, design.Id), cancellationToken)
                    : (fixture.Mutations.IsEmpty && given.Length == 1 && design.Parameters.SequenceEqual(inputs.Manifest.Parameters) ? await LakeOutputDerivation.TryAsync(inputs, given[0], cancellationToken) : null)
                        ?? new CaseExpectation(ExpectationStatus.ExpectedUnknown, "none",
                            "the workspace has no legacy runner (legacy/run.py), and these inputs' legacy rows cannot be derived exactly from the legacy output in the lake", []);
                cases.Add(new CaseFile(design.Id, inputs.Job.Value, JsonNamingPolicy.SnakeCaseLower.ConvertName(design.Kind.ToString()), design.Title, design.Active,
                    design.Tags, design.RequirementIds, fixture.Goals, design.Parameters, given, expect)
                { Origin = design.Origin });
            }
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }

        var coverage = CoverageReport.Build(inputs.Job.Value, inventory, cases.ToImmutable(), runner is not null);
        await WriteAsync(testsFolder, cases.ToImmutable(), inventory, coverage, cancellationToken);
        return new HarnessResult(cases.ToImmutable(), coverage);
    }

    private static async Task<ImmutableArray<CaseTable>> GivenAsync(string folder, CancellationToken cancellationToken)
    {
        var tables = ImmutableArray.CreateBuilder<CaseTable>();
        foreach (var schema in Directory.EnumerateFiles(folder, "*.schema.json").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(schema)[..^".schema.json".Length];
            tables.Add(await ReadTableAsync(folder, name, cancellationToken));
        }

        return tables.ToImmutable();
    }

    /// <summary>A protocol table (JSONL + schema) as a case table, its rows re-serialized compactly.</summary>
    public static async Task<CaseTable> ReadTableAsync(string folder, string name, CancellationToken cancellationToken)
    {
        var columns = await ProtocolTables.ReadSchemaAsync(folder, name, cancellationToken);
        var path = Path.Combine(folder, name + ".jsonl");
        var rows = ImmutableArray.CreateBuilder<string>();
        if (File.Exists(path))
        {
            foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
            {
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                try
                {
                    using var document = JsonDocument.Parse(line);
                    rows.Add(JsonSerializer.Serialize(document.RootElement, JsonDefaults.Compact));
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"{path}: a row is not valid JSON ({e.Message}).", e);
                }
            }
        }

        return new CaseTable(name, columns, rows.ToImmutable());
    }

    private static async Task<CaseExpectation> RunLegacyAsync(JobInputs inputs, LegacyRunner runner, CaseFixture fixture, string outDir, CancellationToken cancellationToken)
    {
        LegacyRunResult run;
        try
        {
            run = await runner.RunJsonlAsync(inputs.Job.Value, fixture.Folder, outDir, cancellationToken);
        }
        catch (LegacyRunException e) when (e.ExitCode == 1)
        {
            return new CaseExpectation(ExpectationStatus.LegacyError, "legacy_runner", "the legacy program fails on these inputs: " + Trim(e.Message), []);
        }
        catch (LegacyRunException e)
        {
            return new CaseExpectation(ExpectationStatus.ExpectedUnknown, "legacy_runner", "the legacy runner refused the inputs: " + Trim(e.Message), []);
        }

        var outputs = ImmutableArray.CreateBuilder<CaseTable>();
        var notWritten = ImmutableArray.CreateBuilder<string>();
        foreach (var target in inputs.Targets)
        {
            if (run.OutputTables.Contains(target, StringComparer.OrdinalIgnoreCase))
            {
                outputs.Add(await ReadTableAsync(outDir, run.OutputTables.First(t => string.Equals(t, target, StringComparison.OrdinalIgnoreCase)), cancellationToken));
            }
            else
            {
                notWritten.Add(target);
            }
        }

        foreach (var extra in run.OutputTables.Where(t => !inputs.Targets.Contains(t, StringComparer.OrdinalIgnoreCase)))
        {
            outputs.Add(await ReadTableAsync(outDir, extra, cancellationToken));
        }

        return new CaseExpectation(ExpectationStatus.Known, "legacy_runner", notWritten.Count == 0 ? null : "the legacy program wrote nothing to " + string.Join(", ", notWritten) + " on these inputs", outputs.ToImmutable())
        {
            NotWritten = notWritten.ToImmutable(),
        };
    }

    private static string Trim(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length <= 400 ? line : line[..397] + "...";
    }

    /// <summary>cases/ replaced as a whole (never half a set), then inventory.json and coverage.json/.md.</summary>
    private static async Task WriteAsync(string testsFolder, ImmutableArray<CaseFile> cases, TestInventory inventory, CoverageReport coverage, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(testsFolder);
        var staging = Path.Combine(testsFolder, ".cases-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staging);
        foreach (var file in cases)
        {
            await File.WriteAllTextAsync(Path.Combine(staging, CaseFile.FileName(file.Case)), file.ToYaml(), cancellationToken);
        }

        var target = Path.Combine(testsFolder, "cases");
        var old = target + ".old-" + Guid.NewGuid().ToString("N");
        if (Directory.Exists(target))
        {
            Directory.Move(target, old);
        }

        Directory.Move(staging, target);
        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }

        await AtomicFile.WriteJsonAsync(Path.Combine(testsFolder, CoverageReport.FileName), coverage, cancellationToken);
        await AtomicFile.WriteAllTextAsync(Path.Combine(testsFolder, "coverage.md"), coverage.ToMarkdown(), cancellationToken);
    }
}
