using System.Collections.Immutable;
using Modernizer.Code.Plan;
using Modernizer.Specs.Data;
using Modernizer.Specs.Jobs;
using Modernizer.Specs.Testing.Data;

namespace Modernizer.Specs.Testing.Harness;

/// <summary>Expected rows without a legacy runner, taken from the legacy output in the lake — only where that is
/// exact: the job reads one table and keeps or drops its rows one by one (filters and projections, no join,
/// aggregation, window, loop or Python logic), and the output carries a column that is a key of that table
/// unchanged. Then the legacy rows for the lake sample's rows are the output rows with those keys. A case whose
/// inputs were changed from the lake's cannot be derived this way.</summary>
internal static class LakeOutputDerivation
{
    public static async Task<CaseExpectation?> TryAsync(JobInputs inputs, CaseTable given, CancellationToken cancellationToken)
    {
        if (inputs.ExternalSources.Length != 1 || inputs.Targets.Length != 1 || !inputs.Plans.Roots.All(r => RowLocal(r.Plan)))
        {
            return null;
        }

        var (source, target) = (inputs.ExternalSources[0], inputs.Targets[0]);
        if (!inputs.LakeFolders.ContainsKey(source) || !inputs.LakeFolders.ContainsKey(target) || !string.Equals(given.Table, source, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        await using var lake = await LakeSession.OpenAsync(
            new Dictionary<string, string> { [source] = inputs.LakeFolders[source], [target] = inputs.LakeFolders[target] }, [], cancellationToken);
        var key = await KeyAsync(lake, inputs, source, target, cancellationToken);
        if (key is null)
        {
            return null;
        }

        var values = given.Rows.Select(r => System.Text.Json.JsonDocument.Parse(r).RootElement.TryGetProperty(key, out var v) ? v : default)
            .Where(v => v.ValueKind is System.Text.Json.JsonValueKind.Number or System.Text.Json.JsonValueKind.String)
            .Select(v => v.ValueKind == System.Text.Json.JsonValueKind.Number ? v.GetRawText() : SqlText.Literal(v.GetString()!))
            .ToList();
        var columns = lake.Tables[target].Schema.Select(f => new ProtocolColumn(f.Name, ProtocolTables.TypeOf(f.Type))).ToImmutableArray();
        var where = values.Count == 0 ? "FALSE" : $"{SqlText.Identifier(key)} IN ({string.Join(", ", values)})";
        var rows = await lake.Engine.QueryAsync($"SELECT CAST(to_json(t) AS VARCHAR) FROM (SELECT {string.Join(", ", columns.Select(Export))} FROM {SqlText.Table(target)} WHERE {where}) t", null, cancellationToken);
        var table = new CaseTable(target, columns, [.. rows.Rows.Select(r => (string)r[0]!)]);
        return new CaseExpectation(ExpectationStatus.Known, "lake_output", $"rows of {lake.Reference(target)} whose {key} is among the sample's", [table]);
    }

    private static bool RowLocal(PlanNode plan) =>
        PlanTree.Nodes(plan).All(n => n is Scan or Filter or Project or SubqueryAlias or Write or Opaque { PassThrough: true });

    /// <summary>An output column that is a unique, never-null column of the source, carried unchanged.</summary>
    private static async Task<string?> KeyAsync(LakeSession lake, JobInputs inputs, string source, string target, CancellationToken cancellationToken)
    {
        foreach (var field in lake.Tables[target].Schema)
        {
            if (!inputs.Analysis.ColumnLineageMap.TryGetValue($"{target}.{field.Name}", out var lineage) || !lineage.Contains($"{source}.{field.Name}", StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var c = SqlText.Identifier(field.Name);
            var result = await lake.Engine.QueryAsync($"SELECT count(*) = count(DISTINCT {c}) AND count(*) = count({c}) FROM {SqlText.Table(source)}", null, cancellationToken);
            if (result.Scalar is true)
            {
                return field.Name;
            }
        }

        return null;
    }

    private static string Export(ProtocolColumn column)
    {
        var c = SqlText.Identifier(column.Name);
        return column.Type switch
        {
            _ when column.Type.StartsWith("decimal(", StringComparison.Ordinal) => $"CAST({c} AS VARCHAR) AS {c}",
            "timestamp" => $"strftime({c}, '%Y-%m-%dT%H:%M:%S.%fZ') AS {c}",
            "date" => $"strftime({c}, '%Y-%m-%d') AS {c}",
            _ => c,
        };
    }
}
