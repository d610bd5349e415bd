using System.Collections.Immutable;
using System.Text.Json;
using Modernizer.Web.Workspace;

namespace Modernizer.Web.Pages;

public sealed record LineageNode(string Label, string Kind, double X, double Y, double Width, double Height);

public sealed record LineageEdge(double X1, double Y1, double X2, double Y2);

public sealed record ColumnLineage(string Target, ImmutableArray<string> Sources);

/// <summary>The job's table lineage laid out for an SVG (inputs left, the job, outputs right) and its
/// column lineage, from lineage.json (the OpenLineage event) or, failing that, analysis.json.</summary>
public sealed record LineageGraph(double Width, double Height, ImmutableArray<LineageNode> Nodes, ImmutableArray<LineageEdge> Edges, ImmutableArray<ColumnLineage> Columns)
{
    private const double NodeWidth = 260;
    private const double NodeHeight = 30;
    private const double Gap = 14;
    private const double JobWidth = 200;

    public static LineageGraph? Build(JsonElement? lineage, JsonElement? analysis)
    {
        var inputs = lineage.Arr("inputs").Select(i => i.Str("name")).Where(n => n is not null).Select(n => n!).ToList();
        var outputs = lineage.Arr("outputs").Select(o => o.Str("name")).Where(n => n is not null).Select(n => n!).ToList();
        if (inputs.Count == 0 && outputs.Count == 0)
        {
            inputs = [.. analysis.Arr("sources").Select(ArtifactJson.Text).Where(n => n is not null).Select(n => n!)];
            outputs = [.. analysis.Arr("targets").Select(ArtifactJson.Text).Where(n => n is not null).Select(n => n!)];
        }

        inputs = inputs.Distinct(StringComparer.Ordinal).ToList();
        outputs = outputs.Distinct(StringComparer.Ordinal).ToList();
        if (inputs.Count == 0 && outputs.Count == 0)
        {
            return null;
        }

        var rows = Math.Max(1, Math.Max(inputs.Count, outputs.Count));
        var height = (rows * (NodeHeight + Gap)) + Gap;
        var jobX = NodeWidth + 80;
        var outX = jobX + JobWidth + 80;
        var jobY = (height - NodeHeight) / 2;
        var nodes = ImmutableArray.CreateBuilder<LineageNode>();
        var edges = ImmutableArray.CreateBuilder<LineageEdge>();
        var job = new LineageNode(lineage.Get("job").Str("name") ?? analysis.Str("job_id") ?? "job", "job", jobX, jobY, JobWidth, NodeHeight);
        nodes.Add(job);
        for (var i = 0; i < inputs.Count; i++)
        {
            var y = Gap + (i * (NodeHeight + Gap)) + ((rows - inputs.Count) * (NodeHeight + Gap) / 2);
            nodes.Add(new LineageNode(inputs[i], "input", 0, y, NodeWidth, NodeHeight));
            edges.Add(new LineageEdge(NodeWidth, y + (NodeHeight / 2), jobX, jobY + (NodeHeight / 2)));
        }

        for (var i = 0; i < outputs.Count; i++)
        {
            var y = Gap + (i * (NodeHeight + Gap)) + ((rows - outputs.Count) * (NodeHeight + Gap) / 2);
            nodes.Add(new LineageNode(outputs[i], "output", outX, y, NodeWidth, NodeHeight));
            edges.Add(new LineageEdge(jobX + JobWidth, jobY + (NodeHeight / 2), outX, y + (NodeHeight / 2)));
        }

        return new LineageGraph(outX + NodeWidth, height, nodes.ToImmutable(), edges.ToImmutable(), BuildColumns(lineage, analysis));
    }

    private static ImmutableArray<ColumnLineage> BuildColumns(JsonElement? lineage, JsonElement? analysis)
    {
        var fromEvent = lineage.Arr("outputs").SelectMany(o =>
        {
            var table = o.Str("name") ?? string.Empty;
            return o.Get("facets").Get("columnLineage").Props("fields").Select(f => new ColumnLineage(
                table + "." + f.Name,
                [.. f.Value.Arr("inputFields").Select(i => $"{i.Str("name")}.{i.Str("field")}")]));
        }).ToList();
        if (fromEvent.Count > 0)
        {
            return [.. fromEvent];
        }

        return [.. analysis.Props("column_lineage").Select(p => new ColumnLineage(p.Name,
            p.Value.ValueKind == JsonValueKind.Array ? [.. p.Value.EnumerateArray().Select(v => ArtifactJson.Text(v) ?? string.Empty)] : [ArtifactJson.Text(p.Value) ?? string.Empty]))];
    }
}
